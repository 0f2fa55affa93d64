// Path and redirect middlewares.
import * as z from "zod";
import { bool, nonEmpty, port, regex, str } from "../common.ts";

export const addPrefixSchema = z.strictObject({ prefix: nonEmpty });

export const stripPrefixSchema = z.strictObject({
  prefixes: z.array(nonEmpty),
  /** Deprecated since v2.11, still read by v3. */
  forceSlash: bool.optional(),
});

export const stripPrefixRegexSchema = z.strictObject({ regex: z.array(regex) });

export const replacePathSchema = z.strictObject({ path: str });

export const replacePathRegexSchema = z.strictObject({ regex, replacement: str });

export const redirectRegexSchema = z.strictObject({
  regex,
  replacement: nonEmpty,
  permanent: bool.optional(),
});

export const redirectSchemeSchema = z.strictObject({
  scheme: z.enum(["http", "https"], { error: 'scheme must be "http" or "https"' }),
  port: port.optional(),
  permanent: bool.optional(),
});
