// Elements built with the DOM API (never innerHTML: names and errors from the API stay text).
type Child = Node | string | number | null | undefined | false;
export interface Attrs {
  readonly [name: string]: string | number | boolean | undefined | null | ((event: Event) => void);
}

/** h("button", { testid: "x", onclick: f, class: "c" }, "text"): `testid` is data-testid, `on*` a listener. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "testid") el.setAttribute("data-testid", String(value));
    else if (name === "value" && "value" in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
}

export function clear(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A definition list of label → value pairs. */
export function facts(testid: string, pairs: [string, Child][]): HTMLElement {
  return h("dl", { class: "facts", testid }, pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

export function pre(text: string, testid?: string): HTMLElement {
  return h("pre", { class: "code", testid, tabindex: 0 }, text);
}

export function message(kind: "error" | "info" | "ok", text: string, testid = "message"): HTMLElement {
  return h("p", { class: `msg ${kind}`, role: kind === "error" ? "alert" : "status", testid }, text);
}

export function time(iso: string | null | undefined): string {
  if (!iso) return "never";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}
