// The admin API over HTTP, for push/pull/history/rollback/diff against a local or deployed router.
export interface ClientOptions {
  readonly url: string;
  readonly base: string;
  readonly token: string;
}

export class AdminError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, message: string) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export class AdminClient {
  private readonly options: ClientOptions;

  constructor(options: ClientOptions) {
    this.options = options;
  }

  async call(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
    const url = new URL(this.options.base.replace(/\/$/, "") + path, this.options.url);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        body: init.body,
        headers: { authorization: `Bearer ${this.options.token}`, ...init.headers },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new Error(`cannot reach ${url.origin}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    const text = await res.text();
    const body = parseBody(text);
    if (!res.ok) throw new AdminError(res.status, body, describeError(res.status, body, url));
    return { status: res.status, headers: res.headers, body };
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(status: number, body: unknown, url: URL): string {
  const message = typeof body === "object" && body !== null && "error" in body ? String((body as { error: unknown }).error) : String(body).slice(0, 300);
  const errors = typeof body === "object" && body !== null && "errors" in body && Array.isArray((body as { errors: unknown }).errors)
    ? (body as { errors: { path: string; message: string }[] }).errors.map((e) => `\n  ${e.path || "(root)"}: ${e.message}`).join("")
    : "";
  return `${status} from ${url.pathname}: ${message}${errors}`;
}
