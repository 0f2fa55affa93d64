// Answers the traffic middlewares make up themselves, written as Traefik's Go code writes them.
import { statusText } from "../statustext.ts";

/** A plain-text answer, as Go's WriteHeader+Write: the body defaults to the status's reason phrase. */
export function plain(status: number, body: string = statusText(status), headers: HeadersInit = {}): Response {
  const out = new Headers(headers);
  // Go's server sniffs a written body as text/plain; an empty body gets no Content-Type.
  if (body !== "") out.set("content-type", "text/plain; charset=utf-8");
  return new Response(body, { status, headers: out });
}
