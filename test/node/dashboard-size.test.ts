// The dashboard's assets budget (issue 16: at most 150 KiB gzipped, everything the page loads), and
// that it loads nothing from elsewhere: no external script, style or font, no inline script.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDashboard, type BuiltFile } from "../../dashboard/build.mjs";

const BUDGET_KIB = 150;

describe("dashboard assets", () => {
  let dir = "";
  let files: BuiltFile[] = [];
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`build into index.html, app.js and app.css, at most ${BUDGET_KIB} KiB gzipped in all`, async () => {
    dir = await mkdtemp(join(tmpdir(), "switchyard-dashboard-"));
    ({ files } = await buildDashboard({ outdir: dir }));
    expect(files.map((f) => f.name)).toEqual(["app.css", "app.js", "index.html"]);
    const gzip = files.reduce((sum, f) => sum + f.gzip, 0);
    console.log(`dashboard assets: ${files.map((f) => `${f.name} ${(f.bytes / 1024).toFixed(1)} KiB / ${(f.gzip / 1024).toFixed(1)} KiB gz`).join(", ")}; total ${(gzip / 1024).toFixed(1)} KiB gzipped`);
    expect(gzip / 1024).toBeLessThanOrEqual(BUDGET_KIB);
    // uPlot and the page's code are in it, not fetched at run time.
    const js = await readFile(join(dir, "app.js"), "utf8");
    expect(js).toContain("uplot");
    expect(await readFile(join(dir, "app.css"), "utf8")).toContain(".uplot");
  });

  it("reference nothing outside the page's origin, and hold no inline script or style", async () => {
    const html = await readFile(join(dir, "index.html"), "utf8");
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const css = await readFile(join(dir, "app.css"), "utf8");
    expect(css).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//);
    expect(css).not.toMatch(/@font-face/);
    const js = await readFile(join(dir, "app.js"), "utf8");
    // The only absolute URLs a browser bundle may hold are XML namespaces (uPlot's SVG), never fetched.
    const urls = [...js.matchAll(/https?:\/\/[^\s"'`)]+/g)].map((m) => m[0]).filter((u) => !u.startsWith("http://www.w3.org/"));
    expect(urls).toEqual([]);
  });
});
