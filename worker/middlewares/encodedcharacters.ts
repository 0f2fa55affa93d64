// encodedCharacters: refuse (400, empty body) a request whose path, as sent, contains one of the
// ambiguous encoded characters not explicitly allowed: %2F, %5C, %00, %3B, %25, %3F, %23.
import type { MiddlewareOptions } from "../schema/middlewares.ts";
import type { MiddlewareFactory } from "./types.ts";
import { escapedPath } from "../go/url-escape.ts";
import { goPathOf } from "./pathstate.ts";
import { bare } from "./respond.ts";

const ENCODINGS: readonly [keyof MiddlewareOptions<"encodedCharacters">, readonly string[]][] = [
  ["allowEncodedSlash", ["%2F", "%2f"]],
  ["allowEncodedBackSlash", ["%5C", "%5c"]],
  ["allowEncodedNullCharacter", ["%00"]],
  ["allowEncodedSemicolon", ["%3B", "%3b"]],
  ["allowEncodedPercent", ["%25"]],
  ["allowEncodedQuestionMark", ["%3F", "%3f"]],
  ["allowEncodedHash", ["%23"]],
];

export const encodedCharacters: MiddlewareFactory<"encodedCharacters"> = (o) => {
  const denied = new Set(ENCODINGS.filter(([option]) => !o[option]).flatMap(([, forms]) => forms));
  if (denied.size === 0) return (next) => next;
  return (next) => (request, rc) => {
    const path = escapedPath(goPathOf(request));
    for (let i = path.indexOf("%"); i >= 0; i = path.indexOf("%", i + 3)) {
      // A "%" without two characters after it never passes Go's parser: refused too.
      if (i + 2 >= path.length || denied.has(path.slice(i, i + 3))) return Promise.resolve(bare(400));
    }
    return next(request, rc);
  };
};
