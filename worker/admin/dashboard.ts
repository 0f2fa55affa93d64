// The dashboard's page and assets under <base>/dashboard/, from Workers static assets (the ASSETS
// binding, wrangler.toml [assets] with run_worker_first: the Worker sees every request, and only
// this function ever reads the assets, so a data-plane path like /index.html stays the config's).
// No token is needed to load them: the page signs in and sends the token on every API call.
// docs/dashboard.md says why assets rather than text modules in the bundle.
import type { Env } from "../env.ts";
import { jsonError } from "./responses.ts";

/** The assets' file names: flat, no dot first (no traversal, no hidden files). */
const FILE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The page runs its own script and style only, talks to its own origin only, is never framed. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

export function dashboardPrefix(base: string): string {
  return `${base}/dashboard`;
}

export function isDashboardPath(pathname: string, base: string): boolean {
  const prefix = dashboardPrefix(base);
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The asset path for a dashboard path (`/index.html` for the folder itself), or null when none may exist. */
export function assetPath(pathname: string, base: string): string | null {
  const rest = pathname.slice(dashboardPrefix(base).length + 1);
  if (rest === "") return "/index.html";
  return FILE.test(rest) ? `/${rest}` : null;
}

export async function dashboard(request: Request, env: Pick<Env, "ASSETS">, base: string): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== "GET" && request.method !== "HEAD") {
    return secured(jsonError(405, "the dashboard's files are read with GET", { allow: "GET, HEAD" }));
  }
  // The page's relative asset links need the trailing slash.
  if (url.pathname === dashboardPrefix(base)) {
    return secured(new Response(null, { status: 308, headers: { location: `${dashboardPrefix(base)}/${url.search}` } }));
  }
  const path = assetPath(url.pathname, base);
  if (!env.ASSETS) return secured(jsonError(404, "the dashboard is not available: no ASSETS binding (wrangler.toml [assets])"));
  if (path === null) return secured(jsonError(404, `no dashboard file ${url.pathname}`));
  const asset = await env.ASSETS.fetch(new Request(new URL(path, url.origin), { method: request.method, headers: request.headers }));
  if (asset.status === 404) return secured(jsonError(404, `no dashboard file ${url.pathname}`));
  return secured(new Response(asset.body, asset));
}

function secured(response: Response): Response {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  // File names carry no hash: revalidate (the ETag makes that a 304).
  if (!response.headers.has("cache-control") || response.status === 200) response.headers.set("cache-control", "no-cache");
  return response;
}
