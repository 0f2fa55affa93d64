// Renders a config diff (fielddiff.ts rows) and a line diff (linediff.ts).
import { diffRows, showValue, type ConfigDiff } from "../fielddiff.ts";
import { h, message } from "../dom.ts";
import type { DiffLine } from "../linediff.ts";

export function renderConfigDiff(diff: ConfigDiff, testid = "diff", heading = `from version ${diff.from} to ${diff.to}`): HTMLElement {
  const rows = diffRows(diff);
  const box = h("div", { class: "diff", testid }, h("p", {}, heading));
  if (rows.length === 0) box.append(message("info", "no differences", `${testid}-empty`));
  for (const { section, entries } of rows) {
    box.append(
      h(
        "section",
        { testid: "diff-section", "data-section": section },
        h("h3", {}, section),
        h(
          "ul",
          {},
          entries.map((e) =>
            h(
              "li",
              { testid: "diff-entry", "data-name": e.name, "data-op": e.op, class: `op-${e.op}` },
              h("span", { class: "badge" }, e.op),
              " ",
              h("code", {}, e.name),
              e.fields && e.fields.length > 0
                ? h(
                    "ul",
                    { class: "fields" },
                    e.fields.map((f) =>
                      h(
                        "li",
                        { testid: "diff-field", "data-path": f.path, "data-op": f.op, class: `op-${f.op}` },
                        h("code", {}, f.path),
                        " ",
                        f.op === "added" ? h("ins", {}, showValue(f.to)) : f.op === "removed" ? h("del", {}, showValue(f.from)) : [h("del", {}, showValue(f.from)), " → ", h("ins", {}, showValue(f.to))],
                      ),
                    ),
                  )
                : null,
              e.truncated ? h("p", { class: "muted", testid: "diff-truncated" }, "more field changes than listed") : null,
            ),
          ),
        ),
      ),
    );
  }
  return box;
}

export function renderLineDiff(lines: readonly DiffLine[], testid: string): HTMLElement {
  const sign = { same: " ", add: "+", del: "-" } as const;
  return h(
    "pre",
    { class: "code linediff", testid, tabindex: 0 },
    lines.map((l) => h("span", { class: `line ${l.op}` }, `${sign[l.op]} ${l.text}\n`)),
  );
}
