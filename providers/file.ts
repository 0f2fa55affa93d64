// The file provider: a config bundled with the Worker (wrangler imports the YAML as text).
// Its version never changes at run time; a redeploy is how a file config changes.
import { parseConfigText } from "../worker/config/index.ts";
import type { Loaded, Provider, VersionRef } from "./types.ts";

type Format = Parameters<typeof parseConfigText>[1];

export class FileProvider implements Provider {
  readonly name = "file";
  private readonly text: string;
  private readonly format: Format;
  private readonly ref: VersionRef;

  constructor(text: string, format: Format, fileName: string) {
    this.text = text;
    this.format = format;
    // Version 0: the bundled file is the floor that any published version (1, 2, …) replaces.
    this.ref = { version: 0, key: `file:${fileName}`, sha256: "" };
  }

  async version(): Promise<VersionRef> {
    return this.ref;
  }

  async load(ref: VersionRef): Promise<Loaded> {
    if (ref.key !== this.ref.key) return { ok: false, error: `${ref.key} is not ${this.ref.key}, the bundled file` };
    const parsed = parseConfigText(this.text, this.format);
    if (!parsed.ok) {
      throw new Error(`${this.ref.key}: ${parsed.error.map((e) => e.message).join("; ")}`);
    }
    return { ok: true, value: { ref: this.ref, value: parsed.value, provider: this.name } };
  }
}
