// The dashboard's entry: finds the admin API's base from the page's address, signs in (token in
// sessionStorage), asks GET <base>/whoami what the token may do, and renders the view the hash names.
import { ApiError, makeApi } from "./api.ts";
import { basePath } from "./base.ts";
import { clear, h, message } from "./dom.ts";
import { parseHash, type Route } from "./router.ts";
import { can, FULL_ACCESS, storedToken, storeToken, type Identity } from "./session.ts";
import { config } from "./views/config.ts";
import type { ViewContext } from "./views/context.ts";
import { editor } from "./views/editor.ts";
import { explain } from "./views/explain.ts";
import { fleet } from "./views/fleet.ts";
import { item } from "./views/item.ts";
import { overview } from "./views/overview.ts";
import { releases } from "./views/releases.ts";
import { signin } from "./views/signin.ts";
import { traffic } from "./views/traffic.ts";

const NAV: [Route["view"], string][] = [
  ["overview", "Overview"],
  ["traffic", "Traffic"],
  ["fleet", "Fleet"],
  ["config", "History"],
  ["editor", "Editor"],
  ["explain", "Explain"],
  ["releases", "Releases"],
];

const base = basePath(location.pathname);
let token = storedToken();
let identity: Identity | null = null;
let leaving: (() => void)[] = [];
let generation = 0;

const api = makeApi(base, () => token, () => {
  if (token !== null) signOut("the token was refused (401): sign in again");
});

const nav = h("nav", { "aria-label": "dashboard" }, h("ul", {}, NAV.map(([view, label]) => h("li", {}, h("a", { href: `#/${view}`, testid: `nav-${view}`, "data-view": view }, label)))));
const who = h("span", { testid: "whoami", class: "who" });
const signOutButton = h("button", { type: "button", testid: "signout", onclick: () => signOut(null) }, "Sign out");
const view = h("main", { id: "view", tabindex: -1 });
const header = h("header", { class: "top" }, h("a", { class: "brand", href: "#/overview" }, "Switchyard"), nav, h("div", { class: "session" }, who, signOutButton));
document.body.append(header, view);

async function whoami(): Promise<Identity | "refused"> {
  const res = await api.request("GET", "/whoami");
  // No /whoami on this server yet (before scoped tokens): the admin API only answers 404 after the token passed.
  if (res.status === 404) return FULL_ACCESS;
  if (res.status === 401) return "refused";
  if (!res.ok) throw new ApiError(res.status, `${res.status}: ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? "whoami failed"}`, null);
  const body = (await res.json()) as { name?: string; scopes?: string[] };
  return { name: body.name ?? "?", scopes: body.scopes ?? [], known: true };
}

async function signIn(candidate: string): Promise<void> {
  token = candidate;
  storeToken(candidate);
  try {
    const answer = await whoami();
    if (answer === "refused") return signOut("wrong token");
    identity = answer;
  } catch (err) {
    token = null;
    storeToken(null);
    return renderSignin(err instanceof Error ? err.message : String(err));
  }
  showIdentity();
  void render();
}

function signOut(error: string | null): void {
  token = null;
  identity = null;
  storeToken(null);
  renderSignin(error);
}

function showIdentity(): void {
  header.classList.toggle("signed-in", identity !== null);
  if (!identity) return clear(who);
  const readOnly = !can(identity, "write");
  clear(who, "signed in as ", h("strong", {}, identity.name), readOnly ? h("span", { class: "badge", testid: "readonly-badge" }, "read-only") : null);
}

function renderSignin(error: string | null): void {
  leave();
  showIdentity();
  clear(view);
  signin(view, error, (t) => void signIn(t));
}

function leave(): void {
  generation++;
  leaving.forEach((fn) => fn());
  leaving = [];
}

async function render(flash?: HTMLElement): Promise<void> {
  if (!token || !identity) return renderSignin(null);
  leave();
  const mine = generation;
  const route = parseHash(location.hash);
  for (const a of nav.querySelectorAll("a")) {
    const current = a.dataset.view === route.view || (route.view === "item" && a.dataset.view === "overview");
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  clear(view, flash ?? null);
  const ctx: ViewContext = {
    api,
    identity,
    root: view,
    onLeave: (fn) => leaving.push(fn),
    alive: () => mine === generation,
    reload: (f) => void render(f),
  };
  // A metrics-only token (METRICS_TOKEN) reads the traffic and nothing else.
  if (!can(identity, "read") && route.view !== "traffic") {
    view.append(message("info", `this token (${identity.name}) has no 'read' scope: only the traffic page is open to it`, "no-read-scope"), h("a", { href: "#/traffic" }, "Traffic"));
    return;
  }
  try {
    await show(ctx, route);
  } catch (err) {
    if (ctx.alive()) view.append(message("error", err instanceof Error ? err.message : String(err), "view-error"));
  }
}

function show(ctx: ViewContext, route: Route): Promise<void> | void {
  switch (route.view) {
    case "item":
      return item(ctx, route.kind, route.name);
    case "traffic":
      return traffic(ctx);
    case "fleet":
      return fleet(ctx);
    case "config":
      return config(ctx);
    case "editor":
      return editor(ctx);
    case "explain":
      return explain(ctx);
    case "releases":
      return releases(ctx);
    default:
      return overview(ctx);
  }
}

window.addEventListener("hashchange", () => {
  void render();
  view.focus({ preventScroll: true });
});

if (token) void signIn(token);
else renderSignin(null);
