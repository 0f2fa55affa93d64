// headers: custom request/response headers, CORS, and security headers, built as Traefik builds
// them: the CORS/custom handler runs first (answering preflights), then the secure handler; on the
// way back the secure headers are set first, so customResponseHeaders can override or remove them.
import type { MiddlewareFactory } from "../types.ts";
import { headerHandler } from "./custom.ts";
import { hasCors, hasCustom, hasSecure } from "./defined.ts";
import { secureHandler } from "./secure.ts";

export const headers: MiddlewareFactory<"headers"> = (options) => {
  const secure = hasSecure(options) ? secureHandler(options) : null;
  const header = hasCustom(options) || hasCors(options) ? headerHandler(options) : null;
  if (typeof header === "string") return header;
  if (!secure && !header) return "headers configuration not valid: set at least one option";
  return (next) => {
    const inner = secure ? secure(next) : next;
    return header ? header(inner) : inner;
  };
};
