// Hash routing: #/overview, #/routers/<name>, #/services/<name>, #/middlewares/<name>, #/traffic,
// #/fleet, #/config, #/editor, #/explain, #/releases. Names are URI-encoded (they hold "@").
export type Route =
  | { readonly view: "overview" | "traffic" | "fleet" | "config" | "editor" | "explain" | "releases" }
  | { readonly view: "item"; readonly kind: ItemKind; readonly name: string };

export type ItemKind = "routers" | "services" | "middlewares";

const PAGES = new Set(["overview", "traffic", "fleet", "config", "editor", "explain", "releases"]);
const KINDS = new Set<string>(["routers", "services", "middlewares"]);

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/");
  const [first = "", ...rest] = parts;
  if (KINDS.has(first) && rest.length > 0 && rest.join("/") !== "") {
    const name = safeDecode(rest.join("/"));
    if (name !== null) return { view: "item", kind: first as ItemKind, name };
  }
  if (PAGES.has(first) && rest.length === 0) return { view: first as "overview" };
  return { view: "overview" };
}

export function hashOf(route: Route): string {
  return route.view === "item" ? `#/${route.kind}/${encodeURIComponent(route.name)}` : `#/${route.view}`;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
