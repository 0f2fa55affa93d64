// Builds the dashboard into dashboard/dist/: index.html, app.js (every TypeScript module and
// uPlot, one minified file) and app.css (the page's style and uPlot's). The Worker serves that
// folder as static assets under <admin base>/dashboard/ (wrangler.toml [assets]).
// Run by `npm install` / `npm ci` (prepare), `npm run build:dashboard`, `npm start`, and wrangler
// itself ([build] in wrangler.toml: `wrangler dev` and `wrangler deploy`).
// Plain JavaScript on purpose, as cli/build.mjs: it must run before anything else is built.
import { copyFile, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SRC = fileURLToPath(new URL("./src/", import.meta.url));
export const DIST = fileURLToPath(new URL("./dist/", import.meta.url));

/**
 * Builds into `outdir` (default dashboard/dist/). The files are made beside it and renamed in, one
 * by one, so a server reading the folder meanwhile (wrangler dev, the tests) sees the old file or
 * the new one, never none; files of an older build that this one does not make are removed.
 * @param {{ outdir?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ files: { name: string, bytes: number, gzip: number }[], ms: number }>}
 */
export async function buildDashboard({ outdir = DIST, quiet = true } = {}) {
  const { build } = await import("esbuild");
  const started = Date.now();
  const tmp = join(dirname(join(outdir, ".")), `.dist-${process.pid}-${started}`);
  try {
    await mkdir(tmp, { recursive: true });
    const common = { absWorkingDir: ROOT, bundle: true, minify: true, legalComments: "none", logLevel: quiet ? "error" : "warning" };
    await build({ ...common, entryPoints: [join(SRC, "main.ts")], outfile: join(tmp, "app.js"), format: "esm", platform: "browser", target: "es2022" });
    await build({ ...common, entryPoints: [join(SRC, "style.css")], outfile: join(tmp, "app.css"), loader: { ".css": "css" } });
    await copyFile(join(SRC, "index.html"), join(tmp, "index.html"));
    await mkdir(outdir, { recursive: true });
    const made = await readdir(tmp);
    for (const name of made) await rename(join(tmp, name), join(outdir, name));
    for (const name of await readdir(outdir)) if (!made.includes(name)) await rm(join(outdir, name), { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { files: await sizes(outdir), ms: Date.now() - started };
}

/**
 * Every file in `dir`, its bytes and its gzipped bytes (level 9, as a CDN would send it).
 * @param {string} [dir]
 */
export async function sizes(dir = DIST) {
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (name) => {
    const bytes = await readFile(join(dir, name));
    return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, ms } = await buildDashboard({ outdir: process.argv[2], quiet: false });
  const kib = (n) => (n / 1024).toFixed(1);
  const total = files.reduce((a, f) => ({ bytes: a.bytes + f.bytes, gzip: a.gzip + f.gzip }), { bytes: 0, gzip: 0 });
  console.log(`built ${process.argv[2] ?? "dashboard/dist"} in ${ms} ms: ${files.map((f) => `${f.name} ${kib(f.bytes)} KiB (${kib(f.gzip)} gzipped)`).join(", ")}; total ${kib(total.gzip)} KiB gzipped`);
}
