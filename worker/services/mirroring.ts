// The mirroring service: every request goes to the main service, whose answer is the client's;
// a share of requests (each mirror's percent, counted exactly as Traefik counts) is also copied to
// mirror services in ctx.waitUntil. Mirror answers are read and dropped, and a mirror that fails or
// hangs never touches the client's response. The client's body still streams to the main service:
// a copy is taken on the side (tee) for the mirrors, up to maxBodySize bytes; a larger body is not
// mirrored at all. mirrorBody: false sends the mirrors the request without its body.
import { collect, declaredLength, relay } from "../http/body.ts";
import type { Handler, HealthReporter, RequestContext, Service } from "./types.ts";
import { unobserved } from "./observed.ts";

export interface MirrorOptions {
  readonly main: Service;
  readonly mirrors: readonly { readonly service: Service; readonly percent: number }[];
  readonly mirrorBody: boolean;
  /** Bytes; -1: no limit. */
  readonly maxBodySize: number;
  readonly healthCheck: boolean;
}

interface Mirror {
  readonly service: Service;
  readonly percent: number;
  count: number;
}

/** What the mirrors get: no body, this body, or nothing at all (too large). */
type MirrorBody = { readonly send: true; readonly body: Uint8Array | null } | { readonly send: false };

export class Mirroring implements Service {
  readonly health: HealthReporter | null;
  private readonly options: MirrorOptions;
  private readonly mirrors: Mirror[];
  private total = 0;

  constructor(options: MirrorOptions) {
    this.options = options;
    this.mirrors = options.mirrors.map((m) => ({ service: m.service, percent: m.percent, count: 0 }));
    this.health = options.healthCheck ? { up: (rc) => options.main.health?.up(rc) ?? true } : null;
  }

  readonly handle: Handler = async (request, rc) => {
    const chosen = this.chooseMirrors();
    if (chosen.length === 0) return this.options.main.handle(request, rc);
    const { forMain, copy } = this.split(request);
    rc.waitUntil(copy.then((body) => this.sendMirrors(chosen, request, body, rc)));
    return this.options.main.handle(forMain, rc);
  };

  /** Traefik's rule: mirror i takes request n when count_i × 100 < n × percent_i. */
  private chooseMirrors(): Mirror[] {
    this.total++;
    return this.mirrors.filter((m) => {
      if (m.count * 100 >= this.total * m.percent) return false;
      m.count++;
      return true;
    });
  }

  private split(request: Request): { forMain: Request; copy: Promise<MirrorBody> } {
    const limit = this.options.maxBodySize;
    if (!request.body || !this.options.mirrorBody) return { forMain: request, copy: Promise.resolve({ send: true, body: null }) };
    const length = declaredLength(request.headers);
    if (limit >= 0 && length !== null && length > limit) return { forMain: request, copy: Promise.resolve({ send: false }) };
    const [main, side] = request.body.tee();
    const forMain = new Request(request, { body: relay(main, length).stream });
    const copy = collect(side, limit).then(
      (c): MirrorBody => (c.ok ? { send: true, body: c.bytes } : { send: false }),
      (): MirrorBody => ({ send: false }),
    );
    return { forMain, copy };
  }

  private async sendMirrors(mirrors: readonly Mirror[], original: Request, copy: MirrorBody, rc: RequestContext): Promise<void> {
    if (!copy.send || original.signal?.aborted) return;
    await Promise.all(mirrors.map((m) => sendOne(m.service, mirrorRequest(original, copy.body), unobserved(rc))));
  }
}

function mirrorRequest(original: Request, body: Uint8Array | null): Request {
  const headers = new Headers(original.headers);
  if (body === null) {
    headers.delete("content-length");
    headers.delete("transfer-encoding");
  }
  return new Request(original.url, { method: original.method, headers, body, redirect: "manual" });
}

async function sendOne(service: Service, request: Request, rc: RequestContext): Promise<void> {
  try {
    const response = await service.handle(request, rc);
    await response.body?.cancel().catch(() => undefined);
  } catch {
    // A mirror's failure is the mirror's business.
  }
}
