// Builds the CLI into one ES module, cli/dist/switchyard.mjs: Node loads one file instead of
// type-stripping a few hundred TypeScript modules (~0.5 s → ~0.1 s for `validate`).
// `npm install` / `npm ci` run it (the `prepare` script); `npm run build:cli` runs it by hand;
// cli/bin.mjs runs it again when a source file is newer than the bundle.
// Plain JavaScript on purpose: it must run before anything else is built.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DIST = fileURLToPath(new URL("./dist/", import.meta.url));
export const BUNDLE = "switchyard.mjs";
/** The first-party files the bundle was built from, and when: what bin.mjs checks for staleness. */
export const MANIFEST = "inputs.json";

// Dependencies in CommonJS (yaml's Node build) call require() for Node's built-ins; an ES module
// has none, so the bundle makes one.
const BANNER = 'import { createRequire as __switchyardRequire } from "node:module";\nconst require = __switchyardRequire(import.meta.url);';

/**
 * bcryptjs (basicAuth) imports Node's `crypto` at the top for a fallback it never takes where
 * `globalThis.crypto` exists; loading that module costs every command tens of milliseconds at
 * start-up. It gets a stand-in that loads the real module on first use.
 * @type {import("esbuild").Plugin}
 */
const lazyCrypto = {
  name: "lazy-crypto",
  setup(build) {
    build.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      args.namespace === "lazy-crypto" ? { path: "node:crypto", external: true } : { path: "crypto", namespace: "lazy-crypto" },
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-crypto" }, () => ({
      contents: 'let real; const load = () => (real ??= require("node:crypto"));\nexport default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n',
      loader: "js",
    }));
  },
};

/**
 * Bundles cli/main.ts into `outdir` (default cli/dist/). Writes to temporary names and renames,
 * so a CLI started while another one rebuilds reads either the old bundle or the new one.
 * @param {{ outdir?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ bundle: string, inputs: string[], ms: number }>}
 */
export async function buildCli({ outdir = DIST, quiet = true } = {}) {
  const { build } = await import("esbuild");
  const started = Date.now();
  await mkdir(outdir, { recursive: true });
  const tmp = join(outdir, `.${BUNDLE}.${process.pid}.${started}`);
  try {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: ["cli/main.ts"],
      outfile: tmp,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      // Smaller text parses faster; names are kept so stack traces and `err.name` still read.
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      banner: { js: BANNER },
      plugins: [lazyCrypto],
      legalComments: "none",
      metafile: true,
      logLevel: quiet ? "error" : "warning",
    });
    // Files only: not dependencies (npm install rebuilds), nor the stand-in above (no file).
    const inputs = [...Object.keys(result.metafile.inputs).filter((path) => !path.includes("node_modules/") && !path.includes(":")), "cli/build.mjs"].sort();
    await writeFile(`${tmp}.json`, JSON.stringify({ builtAt: started, bundle: BUNDLE, inputs }, null, 1) + "\n");
    await rename(tmp, join(outdir, BUNDLE));
    await rename(`${tmp}.json`, join(outdir, MANIFEST));
    return { bundle: join(outdir, BUNDLE), inputs, ms: Date.now() - started };
  } finally {
    await rm(tmp, { force: true });
    await rm(`${tmp}.json`, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = process.argv[2];
  const { bundle, inputs, ms } = await buildCli({ outdir, quiet: false });
  console.log(`built ${bundle} from ${inputs.length} source files in ${ms} ms`);
}
