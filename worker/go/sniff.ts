// Ports Go's http.DetectContentType (the WHATWG MIME sniffing algorithm as Go implements it), used where
// Traefik lets Go sniff: the contentType middleware, and compress for a response without one.

type Sig = (data: Uint8Array, firstNonWS: number) => string | null;

const isWS = (b: number) => b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** An HTML tag, any letter case, after whitespace, followed by a space or ">". */
function html(tag: string): Sig {
  const pat = bytes(tag);
  return (data, ws) => {
    const d = data.subarray(ws);
    if (d.length < pat.length + 1) return null;
    for (let i = 0; i < pat.length; i++) {
      const b = pat[i]! >= 0x41 && pat[i]! <= 0x5a ? d[i]! & 0xdf : d[i]!;
      if (b !== pat[i]) return null;
    }
    const end = d[pat.length]!;
    return end === 0x20 || end === 0x3e ? "text/html; charset=utf-8" : null;
  };
}

function masked(pattern: string, mask: string, ct: string, skipWS = false): Sig {
  const pat = bytes(pattern);
  const m = bytes(mask);
  return (data, ws) => {
    const d = skipWS ? data.subarray(ws) : data;
    if (d.length < m.length) return null;
    for (let i = 0; i < m.length; i++) if ((d[i]! & m[i]!) !== pat[i]) return null;
    return ct;
  };
}

function exact(pattern: string, ct: string): Sig {
  const pat = bytes(pattern);
  return (data) => (data.length >= pat.length && pat.every((b, i) => data[i] === b) ? ct : null);
}

/** ISO base media file with an "mp4" brand. */
const mp4: Sig = (data) => {
  if (data.length < 12) return null;
  const boxSize = new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
  if (data.length < boxSize || boxSize % 4 !== 0) return null;
  if (String.fromCharCode(...data.subarray(4, 8)) !== "ftyp") return null;
  for (let at = 8; at < boxSize; at += 4) {
    if (at !== 12 && String.fromCharCode(...data.subarray(at, at + 3)) === "mp4") return "video/mp4";
  }
  return null;
};

/** No byte that a text file would not contain. */
const text: Sig = (data, ws) => {
  for (const b of data.subarray(ws)) {
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return null;
  }
  return "text/plain; charset=utf-8";
};

const FF4 = "\xFF\xFF\xFF\xFF";
const SIGNATURES: readonly Sig[] = [
  ...["<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"].map(html),
  masked("<?xml", "\xFF\xFF\xFF\xFF\xFF", "text/xml; charset=utf-8", true),
  exact("%PDF-", "application/pdf"),
  exact("%!PS-Adobe-", "application/postscript"),
  masked("\xFE\xFF\x00\x00", "\xFF\xFF\x00\x00", "text/plain; charset=utf-16be"),
  masked("\xFF\xFE\x00\x00", "\xFF\xFF\x00\x00", "text/plain; charset=utf-16le"),
  masked("\xEF\xBB\xBF\x00", "\xFF\xFF\xFF\x00", "text/plain; charset=utf-8"),
  exact("\x00\x00\x01\x00", "image/x-icon"),
  exact("\x00\x00\x02\x00", "image/x-icon"),
  exact("BM", "image/bmp"),
  exact("GIF87a", "image/gif"),
  exact("GIF89a", "image/gif"),
  masked("RIFF\x00\x00\x00\x00WEBPVP", `${FF4}\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF`, "image/webp"),
  exact("\x89PNG\x0D\x0A\x1A\x0A", "image/png"),
  exact("\xFF\xD8\xFF", "image/jpeg"),
  masked("FORM\x00\x00\x00\x00AIFF", `${FF4}\x00\x00\x00\x00${FF4}`, "audio/aiff"),
  masked("ID3", "\xFF\xFF\xFF", "audio/mpeg"),
  masked("OggS\x00", "\xFF\xFF\xFF\xFF\xFF", "application/ogg"),
  masked("MThd\x00\x00\x00\x06", `${FF4}${FF4}`, "audio/midi"),
  masked("RIFF\x00\x00\x00\x00AVI ", `${FF4}\x00\x00\x00\x00${FF4}`, "video/avi"),
  masked("RIFF\x00\x00\x00\x00WAVE", `${FF4}\x00\x00\x00\x00${FF4}`, "audio/wave"),
  mp4,
  exact("\x1A\x45\xDF\xA3", "video/webm"),
  masked(`${"\x00".repeat(34)}LP`, `${"\x00".repeat(34)}\xFF\xFF`, "application/vnd.ms-fontobject"),
  exact("\x00\x01\x00\x00", "font/ttf"),
  exact("OTTO", "font/otf"),
  exact("ttcf", "font/collection"),
  exact("wOFF", "font/woff"),
  exact("wOF2", "font/woff2"),
  exact("\x1F\x8B\x08", "application/x-gzip"),
  exact("PK\x03\x04", "application/zip"),
  exact("Rar!\x1A\x07\x00", "application/x-rar-compressed"),
  exact("Rar!\x1A\x07\x01\x00", "application/x-rar-compressed"),
  exact("\x00\x61\x73\x6D", "application/wasm"),
  text,
];

/** The MIME type of content starting with `data` (only its first 512 bytes are considered). */
export function detectContentType(data: Uint8Array): string {
  const d = data.subarray(0, 512);
  let firstNonWS = 0;
  while (firstNonWS < d.length && isWS(d[firstNonWS]!)) firstNonWS++;
  for (const sig of SIGNATURES) {
    const ct = sig(d, firstNonWS);
    if (ct) return ct;
  }
  return "application/octet-stream";
}
