// worker/go/ is the bottom layer (worker/go/README.md): its modules import only each other and
// npm packages, never another worker/ folder or providers/, so every layer above may use them.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const GO = resolve("worker/go");
const SPECIFIER = /\b(?:from|import)\s*\(?\s*"([^"]+)"/g;

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe("worker/go layer", () => {
  it("imports nothing outside worker/go (relative imports stay inside the folder)", async () => {
    const escapes: string[] = [];
    for (const file of await sources(GO)) {
      for (const [, spec] of (await readFile(file, "utf8")).matchAll(SPECIFIER)) {
        if (!spec!.startsWith(".")) continue; // an npm package (re2js)
        const target = relative(GO, resolve(dirname(file), spec!));
        if (target.startsWith("..")) escapes.push(`${relative(GO, file)} -> ${spec}`);
      }
    }
    expect(escapes).toEqual([]);
  });
});
