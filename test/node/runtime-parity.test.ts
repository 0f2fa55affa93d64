// The CLI (Node) and the Worker (workerd) must answer the same config the same way: checks that
// depend on the runtime use workerd's fixed capability tables, never the runtime at hand. Node's
// CompressionStream may offer Brotli; the CLI must still refuse what a Worker refuses.
// The workerd side of this: test/worker/middlewares/web/compress-table.test.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";

async function validate(yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), "switchyard-parity-")), "c.yaml");
  writeFileSync(file, yaml);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["validate", file], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const config = (encodings: string) => `
http:
  routers: { r: { rule: "PathPrefix(\`/\`)", service: s, middlewares: [c] } }
  services: { s: { loadBalancer: { servers: [{ url: "http://backend.test" }] } } }
  middlewares: { c: { compress: { encodings: ${encodings} } } }
`;

describe("the CLI answers as the Worker does", () => {
  it("compress.encodings [zstd, br] is refused with the Worker's message", async () => {
    const r = await validate(config("[zstd, br]"));
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "  error: http.middlewares.c.compress.encodings: none of the encodings zstd, br is available on Workers: a Worker's CompressionStream offers gzip and deflate only",
    );
  });

  it("compress.encodings [br, gzip] validates with the Worker's warning on br", async () => {
    const r = await validate(config("[br, gzip]"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("  warning: http.middlewares.c.compress.encodings[0]: br is never used: a Worker's CompressionStream offers gzip and deflate only");
  });
});
