// A browser as far as a login flow needs one: a cookie jar (per host, Path, Max-Age/Expires,
// deletions), redirects followed by hand (bounded), and HTML forms submitted with their hidden
// fields. Requests to `appHost` go to an in-process handler (the router under test); every other
// host is fetched for real (the loopback OpenID Provider).

interface StoredCookie {
  readonly value: string;
  readonly path: string;
  /** Epoch ms, or null for a session cookie. */
  readonly expires: number | null;
}

export type AppHandler = (request: Request) => Promise<Response>;

export const MAX_REDIRECTS = 20;

function defaultPath(url: URL): string {
  const path = url.pathname;
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

export class Browser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();
  readonly appHost: string;
  private readonly app: AppHandler;
  /** When set, navigation stops before requesting a URL it holds (the redirect to it is returned). */
  stopBefore: ((url: string) => boolean) | null = null;

  constructor(appHost: string, app: AppHandler) {
    this.appHost = appHost;
    this.app = app;
  }

  /** The cookies of `host` (name → value), as the jar holds them now. */
  cookies(host: string): Record<string, string> {
    const now = Date.now();
    const out: Record<string, string> = {};
    for (const [name, c] of this.jar.get(host) ?? []) if (c.expires === null || c.expires > now) out[name] = c.value;
    return out;
  }

  setCookie(host: string, name: string, value: string, path = "/"): void {
    this.hostJar(host).set(name, { value, path, expires: null });
  }

  private hostJar(host: string): Map<string, StoredCookie> {
    let found = this.jar.get(host);
    if (!found) this.jar.set(host, (found = new Map()));
    return found;
  }

  private cookieHeader(url: URL): string | null {
    const now = Date.now();
    const pairs: string[] = [];
    for (const [name, c] of this.jar.get(url.host) ?? []) {
      if ((c.expires === null || c.expires > now) && pathMatches(c.path, url.pathname)) pairs.push(`${name}=${c.value}`);
    }
    return pairs.length > 0 ? pairs.join("; ") : null;
  }

  private store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = defaultPath(url);
      let expires: number | null = null;
      for (const attribute of attributes) {
        const [key = "", raw = ""] = attribute.split("=");
        const k = key.trim().toLowerCase();
        if (k === "path" && raw.trim().startsWith("/")) path = raw.trim();
        if (k === "max-age") expires = Date.now() + Number(raw.trim()) * 1000;
        if (k === "expires" && expires === null) expires = Date.parse(raw.trim());
      }
      if (expires !== null && expires <= Date.now()) this.hostJar(url.host).delete(name);
      else this.hostJar(url.host).set(name, { value, path, expires });
    }
  }

  /** One request, no redirect followed; cookies sent and stored. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie !== null) headers.set("cookie", cookie);
    const request = new Request(target, { ...init, headers, redirect: "manual" });
    const response = target.host === this.appHost ? await this.app(request) : await fetch(request);
    this.store(target, response);
    return response;
  }

  /** Requests `url` and follows redirects (303 and 302 become GET) until an answer that is not one. */
  async navigate(url: string, init: RequestInit = {}): Promise<{ response: Response; url: string; visited: string[] }> {
    const visited: string[] = [];
    let current = url;
    let currentInit = init;
    let last: Response | null = null;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (last && this.stopBefore?.(current)) return { response: last, url: current, visited };
      visited.push(current);
      const response = await this.request(current, currentInit);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || location === null) return { response, url: current, visited };
      await response.body?.cancel();
      last = response;
      current = new URL(location, current).href;
      currentInit = response.status === 307 || response.status === 308 ? currentInit : {};
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}: ${visited.join(" -> ")}`);
  }

  /** Submits the page's form (the one whose id or action contains `which`, else the first) and follows redirects. */
  async submit(html: string, pageUrl: string, fields: Record<string, string> = {}, which?: string): Promise<{ response: Response; url: string; visited: string[] }> {
    const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => which === undefined || (f[1] ?? "").includes(which)) ?? forms[0];
    if (!form) throw new Error(`no form on ${pageUrl}: ${html.slice(0, 300)}`);
    const attributes = form[1] ?? "";
    const action = /action="([^"]*)"/.exec(attributes)?.[1] ?? pageUrl;
    const body = new URLSearchParams();
    for (const input of (form[2] ?? "").matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(input[1] ?? "")?.[1];
      const value = /value="([^"]*)"/.exec(input[1] ?? "")?.[1] ?? "";
      if (name !== undefined) body.set(name, value.replace(/&amp;/g, "&").replace(/&quot;/g, '"'));
    }
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return this.navigate(new URL(action.replace(/&amp;/g, "&"), pageUrl).href, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() });
  }
}
