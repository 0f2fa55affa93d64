// The access middlewares' options that the schema alone cannot judge: htpasswd hash formats, digest
// users that can never log in, forwardAuth combinations a Worker cannot send, ipAllowList codes.
import { statusText } from "../../go/statustext.ts";
import type { Path } from "../../schema/issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { headerValueProblem } from "../../http/header-syntax.ts";
import { keyHashProblem, parseKeyHash } from "../apikey/hashes.ts";
import { hashProblem } from "../auth/hash-format.ts";
import { FORWARD_BODY_CEILING } from "../forwardauth/limits.ts";
import type { IssueSink, OptionCheck } from "./types.ts";

export const checkBasicAuth: OptionCheck<"basicAuth"> = (issues, path, { users, usersFile }) => {
  // Traefik refuses a basicAuth without users ("no users found"); usersFile is refused on its own.
  if (!users?.length && usersFile === undefined) issues.error([...path, "users"], "no users found: list at least one user as \"user:hash\" (htpasswd)");
  const seen = new Set<string>();
  users?.forEach((entry, i) => {
    const colon = entry.indexOf(":");
    const user = entry.slice(0, colon);
    const problem = colon > 0 ? hashProblem(entry.slice(colon + 1)) : null;
    if (problem) issues.error([...path, "users", i], `user "${user}": ${problem}`);
    if (seen.has(user)) issues.warn([...path, "users", i], `user "${user}" is listed more than once: this last entry wins, as in Traefik`);
    seen.add(user);
  });
};

/** bcrypt entries are checked one by one on every unknown key: beyond this many, a wrong key costs seconds of CPU. */
const BCRYPT_KEYS_WARNING = 4;

export const checkApiKey: OptionCheck<"apiKey"> = (issues, path, options) => {
  const { header, query, cookie, headerAuthScheme } = options.keySource;
  if (!header && !query && !cookie) issues.error([...path, "keySource"], "either keySource.header or keySource.query or keySource.cookie must be set");
  if (headerAuthScheme && !header) issues.error([...path, "keySource", "headerAuthScheme"], "headerAuthScheme needs keySource.header (usually Authorization)");
  if (!options.secretValues?.length && !options.keys?.length && !options.store) {
    issues.error([...path, "secretValues"], "no keys: list their hashes in secretValues or keys, or name a KV namespace in store.kv");
  }
  let bcrypt = 0;
  const check = (value: string, at: Path) => {
    const problem = keyHashProblem(value);
    if (problem) issues.error(at, problem);
    if (parseKeyHash(value)?.kind === "bcrypt") bcrypt++;
  };
  options.secretValues?.forEach((value, i) => check(value, [...path, "secretValues", i]));
  const ids = new Set<string>();
  options.keys?.forEach((key, i) => {
    check(key.value, [...path, "keys", i, "value"]);
    const problem = headerValueProblem(key.id);
    if (problem) issues.error([...path, "keys", i, "id"], `the consumer id goes upstream in ${options.consumerHeader}: ${problem}`);
    if (ids.has(key.id)) issues.warn([...path, "keys", i, "id"], `consumer "${key.id}" has more than one key (fine while rotating keys)`);
    ids.add(key.id);
  });
  if (bcrypt > BCRYPT_KEYS_WARNING) {
    issues.warn([...path, "secretValues"], `${bcrypt} bcrypt hashes: each request with an unknown key checks every one (tens of ms of CPU each); use sha256:<hex> hashes, found in one lookup`);
  }
};

export const checkDigestAuth: OptionCheck<"digestAuth"> = (issues, path, options) => {
  const realm = options.realm || "traefik";
  options.users?.forEach((entry, i) => {
    const [user = "", userRealm = ""] = entry.split(":");
    if (userRealm !== realm) {
      issues.warn([...path, "users", i], `user "${user}" is for realm "${userRealm}" but this middleware's realm is "${realm}": Traefik looks users up in its own realm, so this user can never log in`);
    }
  });
};

export const checkForwardAuth: OptionCheck<"forwardAuth"> = (issues, path, options) => {
  const tls = options.tls;
  if (tls && (tls.cert === undefined) !== (tls.key === undefined)) {
    issues.error([...path, "tls"], "tls.cert and tls.key go together: set both or neither");
  }
  if (options.forwardBody && !options.preserveRequestMethod) {
    issues.error([...path, "forwardBody"], "forwardBody needs preserveRequestMethod: true on Workers: Traefik sends the body with a GET, which fetch() cannot do");
  }
  if (options.forwardBody && options.maxBodySize < 0) {
    issues.warn([...path, "maxBodySize"], `no maxBodySize: Switchyard buffers at most ${FORWARD_BODY_CEILING} bytes of body for the auth server and answers 401 beyond; set maxBodySize to choose`);
  }
};

type AllowList = MiddlewareOptions<"ipAllowList"> | MiddlewareOptions<"ipWhiteList">;

function checkAllowList(issues: IssueSink, path: Path, options: AllowList): void {
  if (options.sourceRange.length === 0) issues.error([...path, "sourceRange"], "sourceRange is empty: list the IPs or CIDR ranges to let through");
  const status = "rejectStatusCode" in options ? options.rejectStatusCode : undefined;
  if (status !== undefined && statusText(status) === "") issues.error([...path, "rejectStatusCode"], `${status} is not an HTTP status code Traefik knows`);
  const strategy = options.ipStrategy;
  const subnet = strategy?.ipv6Subnet;
  // Traefik checks ipv6Subnet where it applies: with depth, or with neither depth nor excludedIPs.
  if (subnet !== undefined && subnet <= 0 && (strategy?.depth || !strategy?.excludedIPs?.length)) {
    issues.error([...path, "ipStrategy", "ipv6Subnet"], "ipv6Subnet must be between 1 and 128");
  }
  if (strategy?.depth && strategy.excludedIPs?.length) {
    issues.warn([...path, "ipStrategy", "excludedIPs"], "excludedIPs is ignored when depth is set (depth wins, as in Traefik)");
  }
}

export const checkIpAllowList: OptionCheck<"ipAllowList"> = checkAllowList;
export const checkIpWhiteList: OptionCheck<"ipWhiteList"> = checkAllowList;
