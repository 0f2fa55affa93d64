// The compiler knows nothing of the API: api@internal is handed in by the entry
// (worker/api/internal.ts), so worker/compile/ imports neither worker/api/ nor worker/admin/, and
// worker/api/ (below the admin routes) does not import worker/admin/. Type imports count.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(ROOT, folder, f));
}

/** Every relative module a file imports or re-exports (static or dynamic), as a repo path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
  return specs.map((s) => relative(ROOT, resolve(dirname(file), s)));
}

function edgesInto(folder: string, targets: readonly string[]): string[] {
  return sources(folder).flatMap((file) =>
    importsOf(file)
      .filter((target) => targets.some((t) => target.startsWith(`${t}/`)))
      .map((target) => `${relative(ROOT, file)} -> ${target}`),
  );
}

describe("layers around the API", () => {
  it("worker/compile/ imports neither worker/api/ nor worker/admin/", () => {
    expect(sources("worker/compile").length).toBeGreaterThan(5);
    expect(edgesInto("worker/compile", ["worker/api", "worker/admin"])).toEqual([]);
  });

  it("worker/api/ does not import worker/admin/ (the admin routes call the API, not the reverse)", () => {
    expect(edgesInto("worker/api", ["worker/admin"])).toEqual([]);
    // The check sees real edges: the admin routes do import the API.
    expect(edgesInto("worker/admin", ["worker/api"]).length).toBeGreaterThan(0);
  });
});
