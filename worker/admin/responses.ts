// The admin API's error body, `{"error": ...}` (Traefik's API answers `{"message": ...}`: apiError).
import { json } from "../api/responses.ts";

export function jsonError(status: number, message: string, headers: Record<string, string> = {}, extra: object = {}): Response {
  return json({ error: message, ...extra }, status, headers);
}
