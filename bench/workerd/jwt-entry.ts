// bench/jwt.ts's workerd half: runs bench/jwt-core.ts inside the Worker runtime (its clock moves
// only between I/O, so blocks are fenced by timer waits and long enough to span many ms).
import { measureJwt } from "../jwt-core.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    return Response.json(await measureJwt(Number(params.get("n") ?? 2000), Number(params.get("rounds") ?? 5), () => Date.now()));
  },
};
