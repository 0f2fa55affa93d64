// A modal confirmation (`<dialog>`: Escape cancels, focus starts on Cancel), as the rollback's:
// the releases page's promote, abort and stop, and revoking a token. With `reason`, an optional
// text field whose value is passed on.
import { h, message } from "../dom.ts";

export interface Confirmation {
  /** data-action of the dialog: promote, abort, stop, revoke. */
  readonly action: string;
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly reason?: boolean;
  /** Runs on confirm; a thrown error is shown in the dialog, which stays open. */
  readonly run: (reason: string) => Promise<void>;
}

export function confirmDialog(c: Confirmation): void {
  const ok = h("button", { type: "button", testid: "confirm-ok", class: c.danger ? "danger" : "primary" }, c.confirmLabel);
  const cancel = h("button", { type: "button", testid: "confirm-cancel" }, "Cancel");
  const reason = h("input", { id: "confirm-reason", testid: "confirm-reason", type: "text", maxlength: 500, placeholder: "optional, kept in the event log" });
  const errorBox = h("div", { "aria-live": "polite" });
  const dialog = h("dialog", { testid: "confirm-dialog", "data-action": c.action, "aria-labelledby": "confirm-title" },
    h("h2", { id: "confirm-title" }, c.title),
    h("p", {}, c.text),
    c.reason ? h("div", { class: "row" }, h("label", { for: "confirm-reason" }, "reason"), reason) : null,
    errorBox,
    h("div", { class: "row" }, ok, cancel),
  );
  document.body.append(dialog);
  const close = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
  };
  dialog.addEventListener("close", () => dialog.remove());
  cancel.addEventListener("click", close);
  ok.addEventListener("click", async () => {
    ok.disabled = true;
    try {
      await c.run(reason.value.trim());
      close();
    } catch (err) {
      ok.disabled = false;
      errorBox.replaceChildren(message("error", err instanceof Error ? err.message : String(err), "confirm-error"));
    }
  });
  dialog.showModal();
  cancel.focus();
}
