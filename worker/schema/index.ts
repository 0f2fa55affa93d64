// The whole dynamic configuration. Switchyard routes `http` only; validate handles tcp/udp/tls.
import * as z from "zod/mini";
import { middlewareSchema } from "./middlewares.ts";
import { routerSchema } from "./routers.ts";
import { serviceSchema } from "./services.ts";
import { serversTransportSchema } from "./transports.ts";

export const HTTP_SECTIONS = {
  routers: routerSchema,
  services: serviceSchema,
  middlewares: middlewareSchema,
  serversTransports: serversTransportSchema,
};

export type HttpSection = keyof typeof HTTP_SECTIONS;

export const httpSchema = z.strictObject({
  routers: z.optional(z.record(z.string(), routerSchema)),
  services: z.optional(z.record(z.string(), serviceSchema)),
  middlewares: z.optional(z.record(z.string(), middlewareSchema)),
  serversTransports: z.optional(z.record(z.string(), serversTransportSchema)),
});

export const dynamicConfigSchema = z.strictObject({ http: z.optional(httpSchema) });

export type DynamicConfig = z.output<typeof dynamicConfigSchema>;
export type HttpConfig = z.output<typeof httpSchema>;
