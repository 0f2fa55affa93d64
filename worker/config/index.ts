// Switchyard's configuration model: Traefik v3 dynamic configuration (the http part), parsed from
// YAML, TOML or JSON, validated, and made canonical.

export { canonicalJSON } from "../go/json.ts";
export { closest, didYouMean, editDistance } from "../rules/suggest.ts";
export { ALLOW_EMPTY_HINTS, routerCount, wipeRefusal, type AllowEmptyHint } from "./empty.ts";
export { durationMs, parseDuration, positiveMs, type Duration } from "../go/duration.ts";
export { formatPath, type ConfigIssue, type IssueSink, type Path, type Result } from "./issues.ts";
export { loadConfig } from "./load.ts";
export { diffConfigFields, MAX_FIELD_CHANGES, type FieldChange, type FieldConfigDiff, type FieldSectionDiff } from "./diff.ts";
export { ownValue, setOwn } from "./own.ts";
export { configDecoder } from "./decode.ts";
export { detectFormat, parseConfigText, type ConfigFormat, type ParseOptions } from "./parse.ts";
export { checkBounds } from "./limits.ts";
export {
  INTERNAL_SERVICES,
  LOCAL_PROVIDERS,
  localName,
  parseRef,
  resolveRef,
  type ParsedRef,
  type RefKind,
  type Resolved,
} from "./references.ts";
export { validateConfig, type CompiledRules, type ValidateOptions, type ValidationResult } from "./validate.ts";
export { effectiveRuleSyntax, parseDefaultRuleSyntax, ruleKey, RULE_SYNTAXES } from "./rule-syntax.ts";

export {
  dynamicConfigSchema,
  httpSchema,
  HTTP_SECTIONS,
  type DynamicConfig,
  type HttpConfig,
  type HttpSection,
} from "../schema/index.ts";
export { routerSchema, type RouterConfig, type RouterTLS } from "../schema/routers.ts";
export {
  passHostHeaderOf,
  serviceSchema,
  SERVICE_TYPES,
  type Cookie,
  type Failover,
  type HighestRandomWeight,
  type LoadBalancerConfig,
  type Mirroring,
  type PassiveHealthCheck,
  type ServerConfig,
  type ServerHealthCheck,
  type ServiceConfig,
  type ServiceOptions,
  type ServiceType,
  type Sticky,
  type Weighted,
} from "../schema/services.ts";
export {
  middlewareSchema,
  middlewareTypeSchemas,
  MIDDLEWARE_TYPES,
  type MiddlewareConfig,
  type MiddlewareOptions,
  type MiddlewareType,
} from "../schema/middlewares.ts";
export {
  serversTransportSchema,
  type ForwardingTimeouts,
  type ServersTransportConfig,
} from "../schema/transports.ts";
