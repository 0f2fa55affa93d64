// REQS.jsonl: one request description per line. A bad line is reported, not fatal: the output
// keeps one line per input line so it can be pasted next to the input.
import { viewFromDescription, type RequestDescription, type RequestView } from "../worker/rules/index.ts";
import type { Io } from "./io.ts";

export type RequestLine = { line: number; request: RequestDescription } | { line: number; error: string };

export function parseRequests(text: string): RequestLine[] {
  const out: RequestLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    out.push(parseLine(raw, i + 1));
  });
  return out;
}

function parseLine(raw: string, line: number): RequestLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { line, error: `line ${line}: not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const problem = checkShape(value);
  if (problem) return { line, error: `line ${line}: ${problem}` };
  const request = value as RequestDescription;
  return { line, request: { ...request, method: request.method ?? "GET" } };
}

function checkShape(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const v = value as Record<string, unknown>;
  if (v.method !== undefined && typeof v.method !== "string") return '"method" must be a string';
  if (typeof v.url !== "string") return '"url" is required and must be a string';
  try {
    new URL(v.url);
  } catch {
    return `"url" is not an absolute URL: ${v.url}`;
  }
  if (v.remoteAddr !== undefined && typeof v.remoteAddr !== "string") return '"remoteAddr" must be a string';
  return checkHeaders(v.headers);
}

function checkHeaders(headers: unknown): string | null {
  if (headers === undefined) return null;
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return '"headers" must be an object';
  for (const [name, value] of Object.entries(headers)) {
    const ok = typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
    if (!ok) return `header "${name}" must be a string or an array of strings`;
  }
  return null;
}

/**
 * Prints one JSON line per request line, in order: `answer` for a request, `unread` plus the
 * error for a line that could not be read. Exit status 1 when some line could not be read.
 */
export function answerEach(requests: readonly RequestLine[], io: Io, unread: object, answer: (view: RequestView) => object): number {
  let bad = 0;
  for (const entry of requests) {
    if ("error" in entry) {
      bad++;
      io.out(JSON.stringify({ ...unread, error: entry.error }));
    } else {
      io.out(JSON.stringify(answer(viewFromDescription(entry.request))));
    }
  }
  if (bad > 0) io.err(`${bad} request line${bad === 1 ? "" : "s"} could not be read`);
  return bad > 0 ? 1 : 0;
}
