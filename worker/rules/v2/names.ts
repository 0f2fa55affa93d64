// The matchers of ruleSyntax v2 (Traefik's httpFuncsV2), each under the four spellings Traefik registers.
import { spellings } from "../names.ts";

export const V2_MATCHER_NAMES = ["Host", "HostHeader", "HostRegexp", "ClientIP", "Path", "PathPrefix", "Method", "Headers", "HeadersRegexp", "Query"] as const;

export type V2MatcherName = (typeof V2_MATCHER_NAMES)[number];

export const V2_SPELLINGS = new Map<string, V2MatcherName>(V2_MATCHER_NAMES.flatMap((n) => spellings(n).map((s) => [s, n] as const)));
