// Service bindings as upstreams: a server URL `binding://NAME[/path]` sends requests to the Worker
// bound as NAME (a `[[services]]` binding in wrangler.toml), with no public hop. The bound Worker
// sees a normal URL: the client's scheme and path, and as host the client's host
// (passHostHeader: true, the default) or the binding's name in lower case (passHostHeader: false).

const BINDING_URL = /^binding:\/\/([A-Za-z_][A-Za-z0-9_]*)(\/.*)?$/;

export interface BindingTarget {
  readonly binding: string;
  /** The path after the name ("" when none): kept in front of the request path with preservePath. */
  readonly path: string;
}

export function parseBindingURL(url: string): BindingTarget | null {
  const match = BINDING_URL.exec(url);
  return match ? { binding: match[1]!, path: match[2] ?? "" } : null;
}

/** The binding's fetcher, or null when the Worker has no such binding (or it is not a service). */
export function bindingFetcher(env: object, name: string): Fetcher | null {
  const candidate = (env as Record<string, unknown>)[name];
  if (typeof candidate !== "object" || candidate === null) return null;
  return typeof (candidate as { fetch?: unknown }).fetch === "function" ? (candidate as Fetcher) : null;
}
