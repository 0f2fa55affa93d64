// Each service type's own option checks (worker/services/checks.ts), asked for every service
// that passed its schema.
import { serviceOptionChecks, type ServiceOptionCheck } from "../../services/checks.ts";
import { SERVICE_TYPES, type ServiceOptions, type ServiceType } from "../../schema/services.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

function run<K extends ServiceType>(ctx: CheckContext, name: string, type: K, options: ServiceOptions<K>): void {
  const check = serviceOptionChecks[type] as ServiceOptionCheck<K> | undefined;
  check?.(ctx.issues, ["http", "services", name, type], options);
}

export function checkServiceOptions(ctx: CheckContext): void {
  for (const [name, service] of entries(ctx, "services")) {
    for (const type of SERVICE_TYPES) {
      const options = service[type];
      if (options !== undefined) run(ctx, name, type, options as ServiceOptions<typeof type>);
    }
  }
}
