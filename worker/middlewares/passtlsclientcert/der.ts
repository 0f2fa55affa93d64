// Just enough DER (X.690) to read an X.509 certificate: tag-length-value elements with definite
// lengths. Every read is bounds-checked against the input; malformed input throws.

export interface Element {
  readonly tag: number;
  /** The value bytes (the contents, without tag and length). */
  readonly value: Uint8Array;
}

export class DerReader {
  private at = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  peekTag(): number | undefined {
    return this.bytes[this.at];
  }

  next(): Element {
    const tag = this.byte();
    if ((tag & 0x1f) === 0x1f) throw new Error("DER: multi-byte tags are not used in certificates");
    const length = this.length();
    if (this.at + length > this.bytes.length) throw new Error("DER: element runs past the end");
    const value = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return { tag, value };
  }

  /** The next element, which must have this tag. */
  expect(tag: number): Uint8Array {
    const element = this.next();
    if (element.tag !== tag) throw new Error(`DER: expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
    return element.value;
  }

  private byte(): number {
    const b = this.bytes[this.at++];
    if (b === undefined) throw new Error("DER: unexpected end");
    return b;
  }

  private length(): number {
    const first = this.byte();
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error("DER: unsupported length");
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + this.byte();
    return length;
  }
}

export function children(value: Uint8Array): Element[] {
  const reader = new DerReader(value);
  const out: Element[] = [];
  while (!reader.done) out.push(reader.next());
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's value. */
export function oid(value: Uint8Array): string {
  const first = value[0] ?? 0;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let n = 0;
  for (const b of value.subarray(1)) {
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join(".");
}

/** A two's-complement INTEGER as a decimal string (Go's big.Int String). */
export function integer(value: Uint8Array): string {
  let n = 0n;
  for (const b of value) n = (n << 8n) | BigInt(b);
  if (value.length > 0 && ((value[0] ?? 0) & 0x80) !== 0) n -= 1n << BigInt(value.length * 8);
  return n.toString();
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** The text of a string element, or null for types Go's asn1 does not read as a string. */
export function text(element: Element): string | null {
  switch (element.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder().decode(element.value);
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // T61String
    case 0x16: // IA5String
      return latin1(element.value);
    case 0x1e: {
      // BMPString: UTF-16 big-endian
      let out = "";
      for (let i = 0; i + 1 < element.value.length; i += 2) out += String.fromCharCode(((element.value[i] ?? 0) << 8) | (element.value[i + 1] ?? 0));
      return out;
    }
    default:
      return null;
  }
}

/** UTCTime or GeneralizedTime (the Z form certificates use) as Unix seconds. */
export function time(element: Element): number {
  const s = latin1(element.value);
  const match = element.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!match) throw new Error(`DER: unsupported time "${s}"`);
  const [, y = "", mo = "", d = "", h = "", mi = "", se = ""] = match;
  let year = Number(y);
  if (element.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  return Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)) / 1000;
}
