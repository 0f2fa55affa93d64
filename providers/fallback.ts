// A provider with a floor: the primary source (KV, the config store) once it has published
// anything, the bundled file until then.
import type { Loaded, Provider, VersionRef } from "./types.ts";

export class FallbackProvider implements Provider {
  readonly name: string;
  private readonly primary: Provider;
  private readonly fallback: Provider;

  constructor(primary: Provider, fallback: Provider) {
    this.primary = primary;
    this.fallback = fallback;
    this.name = `${primary.name}+${fallback.name}`;
  }

  async version(): Promise<VersionRef | null> {
    return (await this.primary.version()) ?? this.fallback.version();
  }

  async load(ref: VersionRef): Promise<Loaded> {
    // Refs of the two never collide: the file's keys are "file:…".
    return ref.key.startsWith("file:") ? this.fallback.load(ref) : this.primary.load(ref);
  }
}
