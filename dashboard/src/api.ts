// Every call to the admin API: under the base the page derived from its address, with the token as
// a bearer header (never in the URL). Errors become ApiError with the status and the body's message.
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, message: string, body: unknown) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export interface Api {
  readonly base: string;
  request(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<Response>;
  json<T>(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<T>;
}

export function makeApi(base: string, token: () => string | null, onUnauthorized: () => void): Api {
  const api: Api = {
    base,
    async request(method, path, init = {}) {
      const headers = new Headers(init.headers);
      const t = token();
      if (t) headers.set("authorization", `Bearer ${t}`);
      const res = await fetch(`${base}${path}`, { method, headers, body: init.body, cache: "no-store", credentials: "omit", redirect: "error" });
      if (res.status === 401) onUnauthorized();
      return res;
    },
    async json(method, path, init) {
      const res = await api.request(method, path, init);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text === "" ? null : JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      if (!res.ok) throw new ApiError(res.status, errorText(res.status, body), body);
      return body as never;
    },
  };
  return api;
}

function errorText(status: number, body: unknown): string {
  if (typeof body === "object" && body !== null) {
    const b = body as { error?: unknown; message?: unknown };
    if (typeof b.error === "string") return `${status}: ${b.error}`;
    if (typeof b.message === "string") return `${status}: ${b.message}`;
  }
  return `${status}: ${typeof body === "string" && body ? body.slice(0, 200) : "request failed"}`;
}
