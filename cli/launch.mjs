// Which code `switchyard` runs: the bundle (cli/dist/switchyard.mjs) when it was built from the
// sources as they are now, else the TypeScript sources. A bundle older than one of its source
// files would run yesterday's code without a word, so it is rebuilt first (a developer's
// checkout has esbuild), and when that fails the sources run, with a message saying why.
// Plain JavaScript, and only node: imports: it runs before anything is known to be built.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = fileURLToPath(new URL("./dist/", import.meta.url));
const SOURCES = new URL("./main.ts", import.meta.url).href;

/**
 * The bundle's state: "current", "missing" (never built, or the manifest is unreadable), or
 * "stale" with the first source file that changed (edited, or deleted) since the build began.
 * One stat per first-party source file (~150, about a millisecond); dependencies in
 * node_modules change only through `npm install`, which rebuilds.
 * @param {string} dist
 * @param {string} root
 * @returns {{ state: "current", bundle: string } | { state: "missing", bundle: string } | { state: "stale", bundle: string, changed: string }}
 */
export function bundleState(dist = DIST, root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dist, "inputs.json"), "utf8"));
  } catch {
    manifest = null;
  }
  if (typeof manifest?.bundle !== "string" || typeof manifest.builtAt !== "number" || !Array.isArray(manifest.inputs)) {
    return { state: "missing", bundle: join(dist, "switchyard.mjs") };
  }
  const bundle = join(dist, manifest.bundle);
  if (!statSync(bundle, { throwIfNoEntry: false })) return { state: "missing", bundle };
  for (const input of manifest.inputs) {
    const stat = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > manifest.builtAt) return { state: "stale", bundle, changed: input };
  }
  return { state: "current", bundle };
}

/**
 * The module to import for `main`, as a file URL. SWITCHYARD_CLI=sources forces the sources
 * (stack traces into .ts files); the bundle otherwise, rebuilt first when stale.
 * @param {{ dist?: string, root?: string, env?: Record<string, string | undefined>, warn?: (line: string) => void, rebuild?: () => Promise<unknown> }} [options]
 * @returns {Promise<string>}
 */
export async function entry({ dist = DIST, root = ROOT, env = process.env, warn = (l) => process.stderr.write(l + "\n"), rebuild } = {}) {
  if (env.SWITCHYARD_CLI === "sources") return SOURCES;
  const found = bundleState(dist, root);
  if (found.state === "current") return pathToFileURL(found.bundle).href;
  if (found.state === "missing") {
    warn(`switchyard: no bundle at ${found.bundle} (\`npm install\` or \`npm run build:cli\` builds it); running the TypeScript sources, which starts slower`);
    return SOURCES;
  }
  try {
    await (rebuild ?? (async () => (await import("./build.mjs")).buildCli({ outdir: dist })))();
    warn(`switchyard: ${found.changed} changed since the bundle was built; rebuilt ${found.bundle}`);
    return pathToFileURL(found.bundle).href;
  } catch (err) {
    warn(`switchyard: ${found.changed} changed since the bundle was built and rebuilding failed (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); running the TypeScript sources`);
    return SOURCES;
  }
}
