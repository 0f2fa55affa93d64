// Go's len() of a string: its UTF-8 bytes, not UTF-16 units (a lone surrogate counts as U+FFFD,
// as Go decodes one).

const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  // Nearly always ASCII: one native check, no bytes made (every router without a priority pays this).
  return ASCII.test(s) ? s.length : encoder.encode(s).length;
}
