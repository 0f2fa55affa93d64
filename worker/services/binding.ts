// Service bindings as upstreams: a server URL `binding://NAME[/path]` sends requests to the Worker
// bound as NAME (a `[[services]]` binding in wrangler.toml), with no public hop. The bound Worker
// sees a normal URL: the client's scheme and path, and as host the client's host
// (passHostHeader: true, the default) or the binding's name in lower case (passHostHeader: false).

/** The binding's fetcher, or null when the Worker has no such binding (or it is not a service). */
export function bindingFetcher(env: object, name: string): Fetcher | null {
  const candidate = (env as Record<string, unknown>)[name];
  if (typeof candidate !== "object" || candidate === null) return null;
  return typeof (candidate as { fetch?: unknown }).fetch === "function" ? (candidate as Fetcher) : null;
}
