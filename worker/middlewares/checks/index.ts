// The registry worker/config asks for each middleware's own option checks (checks/types.ts).
import { checkApiKey, checkBasicAuth, checkDigestAuth, checkForwardAuth, checkIpAllowList, checkIpWhiteList } from "./access.ts";
import { checkBuffering, checkCircuitBreaker, checkInFlightReq, checkRateLimit, checkRetry } from "./traffic.ts";
import { checkJwt } from "./jwt.ts";
import type { OptionChecks } from "./types.ts";
import { checkCompress, checkErrors, checkHeaders, checkReplacePath } from "./web.ts";

export type { IssueSink, OptionCheck, OptionChecks } from "./types.ts";

export const optionChecks: OptionChecks = {
  apiKey: checkApiKey,
  basicAuth: checkBasicAuth,
  digestAuth: checkDigestAuth,
  forwardAuth: checkForwardAuth,
  ipAllowList: checkIpAllowList,
  ipWhiteList: checkIpWhiteList,
  jwt: checkJwt,
  buffering: checkBuffering,
  circuitBreaker: checkCircuitBreaker,
  inFlightReq: checkInFlightReq,
  rateLimit: checkRateLimit,
  retry: checkRetry,
  compress: checkCompress,
  errors: checkErrors,
  headers: checkHeaders,
  replacePath: checkReplacePath,
};
