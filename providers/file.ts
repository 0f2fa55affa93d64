// The file provider: a config bundled with the Worker (wrangler imports the YAML as text).
// Its version never changes at run time; a redeploy is how a file config changes.
import type { Decode, Loaded, Provider, VersionRef } from "./types.ts";

export class FileProvider implements Provider {
  readonly name = "file";
  private readonly text: string;
  private readonly decode: Decode;
  private readonly ref: VersionRef;

  /** `decode` reads the file's format (worker/config configDecoder("yaml") for the bundled YAML). */
  constructor(text: string, fileName: string, decode: Decode) {
    this.text = text;
    this.decode = decode;
    // Version 0: the bundled file is the floor that any published version (1, 2, …) replaces.
    this.ref = { version: 0, key: `file:${fileName}`, sha256: "" };
  }

  async version(): Promise<VersionRef> {
    return this.ref;
  }

  async load(ref: VersionRef): Promise<Loaded> {
    if (ref.key !== this.ref.key) return { ok: false, error: `${ref.key} is not ${this.ref.key}, the bundled file` };
    const parsed = this.decode(this.text);
    if (!parsed.ok) throw new Error(`${this.ref.key}: ${parsed.error}`);
    return { ok: true, value: { ref: this.ref, value: parsed.value, provider: this.name } };
  }
}
