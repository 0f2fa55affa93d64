// Ports Go's len() of a string: its UTF-8 bytes, not UTF-16 units (a lone surrogate counts as
// U+FFFD, as Go decodes one); and the ASCII test that spares most strings the encoding.

const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();

/** Whether every character is ASCII: one native check rather than a loop per character. */
export const isASCII = (s: string): boolean => ASCII.test(s);

export function utf8Length(s: string): number {
  // Nearly always ASCII: no bytes made (every router without a priority pays this).
  return isASCII(s) ? s.length : encoder.encode(s).length;
}
