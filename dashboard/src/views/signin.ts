// The sign-in form: a password-type field for the admin token (kept in sessionStorage by main.ts).
import { h, message } from "../dom.ts";

export function signin(root: HTMLElement, error: string | null, onToken: (token: string) => void): void {
  const input = h("input", { id: "signin-token", testid: "signin-token", type: "password", autocomplete: "current-password", required: true });
  root.append(
    h("h1", {}, "Sign in"),
    h("form", { testid: "signin-form", class: "stack narrow", onsubmit: (e: Event) => {
      e.preventDefault();
      if (input.value.trim()) onToken(input.value.trim());
    } },
      h("p", {}, "The admin token (ADMIN_TOKEN, or ADMIN_READ_TOKEN for read-only). It stays in this tab's session storage, and goes only in the Authorization header."),
      h("label", { for: "signin-token" }, "token"), input,
      h("button", { type: "submit", testid: "signin-submit", class: "primary" }, "Sign in"),
      error ? message("error", error, "signin-error") : null,
    ),
  );
  input.focus();
}
