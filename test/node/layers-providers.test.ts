// The layering of providers/ and worker/env.ts (/work/shared/ARCHITECTURE.md "Layers"): providers/
// knows storage, versions and hashes, so it imports only itself and worker/go/ (the config model,
// the compiler and the bindings are handed in); env.ts is a leaf that names no providers/ class.
// Type imports count: they are what tie the folders together.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^"';]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Relative imports of one file, as paths from the repository root. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? "";
    if (spec.startsWith(".")) out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  }
  return out;
}

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { recursive: true });
  return entries.filter((f) => f.endsWith(".ts")).map((f) => join(dir, f));
}

describe("layers: providers/ and worker/env.ts", () => {
  it("the import scan sees value, type and re-export imports", async () => {
    // worker/runtime.ts imports providers/ both ways: the scan must find both kinds.
    const imports = await importsOf("worker/runtime.ts");
    expect(imports).toContain("providers/kv.ts");
    expect(imports).toContain("providers/types.ts");
  });

  it("providers/ imports only providers/ and worker/go/", async () => {
    const outside: string[] = [];
    for (const file of await tsFiles("providers")) {
      for (const target of await importsOf(file)) {
        if (!target.startsWith("providers/") && !target.startsWith("worker/go/")) outside.push(`${file} -> ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it("worker/env.ts imports nothing from providers/", async () => {
    expect((await importsOf("worker/env.ts")).filter((t) => t.startsWith("providers/"))).toEqual([]);
  });

  it("worker/env.ts imports nothing of the project (the Durable Object bindings are typed by their classes)", async () => {
    expect(await importsOf("worker/env.ts")).toEqual([]);
  });

  it("worker/admin/ imports nothing of the entry (the runtime hands it an AdminIsolate)", async () => {
    const entry = /^worker\/(index|serve|runtime|inbound)\.ts$/;
    const upward: string[] = [];
    for (const file of await tsFiles("worker/admin")) {
      for (const target of await importsOf(file)) if (entry.test(target)) upward.push(`${file} -> ${target}`);
    }
    expect(upward).toEqual([]);
  });
});
