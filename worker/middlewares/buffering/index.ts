// buffering: read the whole request body before sending it on (413 past maxRequestBodyBytes),
// hold the whole response before answering (500 past maxResponseBodyBytes), and replay the request
// while retryExpression holds, as Traefik's buffering (oxy's buffer). Workers have no disk, so
// everything is held in memory (memRequestBodyBytes/memResponseBodyBytes change nothing) and a
// Workers ceiling, BUFFER_CEILING_BYTES, bounds what is held when Traefik would have no limit.
import type { Handler, RequestContext } from "../../services/types.ts";
import { declaredLength, discard, readUpTo } from "../../http/body.ts";
import { parseExpression, type Predicate } from "../traffic/expression.ts";
import { replayable } from "../traffic/replay.ts";
import { plain } from "../respond.ts";
import type { MiddlewareFactory } from "../types.ts";
import { BUFFER_CEILING_BYTES, effectiveLimit } from "./limits.ts";
import { MAX_RETRY_ATTEMPTS, retryFunctions, type AttemptView } from "./retry-expression.ts";

export const buffering: MiddlewareFactory<"buffering"> = (options) => {
  const parsed = options.retryExpression ? parseExpression(options.retryExpression, retryFunctions) : null;
  if (parsed !== null && !parsed.ok) return `invalid retryExpression at position ${parsed.position}: ${parsed.message}`;
  const retryIf: Predicate<AttemptView> | null = parsed === null ? null : parsed.predicate;
  const requestLimit = effectiveLimit(options.maxRequestBodyBytes);
  const responseLimit = options.maxResponseBodyBytes ?? 0;
  return (next) => async (request, rc) => {
    // Over the limit, declared or found while reading: 413 before anything is sent.
    const body = await replayable(request, requestLimit);
    if (!body.ok) {
      body.once.body?.cancel().catch(() => {});
      return plain(413);
    }
    for (let attempt = 1; ; attempt++) {
      const response = await answer(next, body.attempt(), rc, responseLimit);
      const again = retryIf !== null && attempt <= MAX_RETRY_ATTEMPTS && retryIf({ attempt, status: response.status, method: request.method });
      if (!again) return response;
      discard(response.body);
    }
  };
};

/** The upstream's answer, held in full when maxResponseBodyBytes is set: over it, Traefik's 500. */
async function answer(next: Handler, request: Request, rc: RequestContext, limit: number): Promise<Response> {
  const response = await next(request, rc);
  if (limit <= 0 || !expectsBody(request, response)) return response;
  const declared = declaredLength(response.headers);
  if (declared !== null && declared > limit) {
    discard(response.body);
    return plain(500);
  }
  if (!response.body) return response;
  const read = await readUpTo(response.body, Math.min(limit, BUFFER_CEILING_BYTES));
  if (read.kind === "over") {
    read.rest.cancel().catch(() => {});
    return plain(500);
  }
  return new Response(read.bytes, response);
}

/** RFC 9110: no body for HEAD, 1xx, 204 and 304 answers (nor for Content-Length: 0). */
function expectsBody(request: Request, response: Response): boolean {
  if (request.method === "HEAD") return false;
  const status = response.status;
  if ((status >= 100 && status < 200) || status === 204 || status === 304) return false;
  return response.headers.get("content-length") !== "0";
}
