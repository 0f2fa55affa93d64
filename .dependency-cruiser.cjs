// The layer rule (docs/architecture.md): a layer imports only from layers below it, type imports
// included. Lowest first; `npm test` runs this check (npm run lint:layers) before the tests.
const LAYERS = [
  ["go", "^worker/go/"],
  ["http", "^worker/http/"],
  ["rules", "^worker/rules/"],
  ["schema", "^worker/schema/"],
  ["services", "^worker/services/"],
  ["middlewares", "^worker/middlewares/"],
  ["config", "^worker/config/"],
  ["compile", "^worker/compile/"],
  ["dynamic", "^worker/dynamic/"],
  ["api", "^worker/api/"],
  ["metrics", "^worker/metrics/"],
  ["admin", "^worker/admin/"],
  ["observe", "^worker/observe/"],
  ["fleet", "^worker/fleet/"],
  ["entry", "^worker/(index|serve|runtime|inbound|internal-services|store-admission)[.]ts$"],
];

/** Every layer may not import any layer above it. */
const upward = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `${name}-imports-only-below`,
  comment: `${name} is below ${LAYERS.slice(i + 1).map(([n]) => n).join(", ")}: it must not import them`,
  severity: "error",
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: "env-is-a-leaf",
      comment: "worker/env.ts describes the bindings; it imports nothing of the project",
      severity: "error",
      from: { path: "^worker/env[.]ts$" },
      to: { path: "^(worker|providers|cli)/" },
    },
    {
      name: "providers-know-storage-only",
      comment: "providers/ knows storage, versions and hashes; the admission check is handed in (worker/go is allowed)",
      severity: "error",
      from: { path: "^providers/" },
      to: { path: "^worker/(?!go/)" },
    },
    {
      name: "worker-does-not-import-cli",
      severity: "error",
      from: { path: "^(worker|providers)/" },
      to: { path: "^cli/" },
    },
    {
      name: "dashboard-is-browser-code",
      comment: "dashboard/ runs in the browser, built on its own (dashboard/build.mjs): it imports nothing of the Worker, the providers or the CLI",
      severity: "error",
      from: { path: "^dashboard/" },
      to: { path: "^(worker|providers|cli)/" },
    },
    {
      name: "nothing-imports-the-dashboard",
      comment: "the Worker serves the dashboard's built files as assets; no code of it reaches the Worker's bundle or the CLI",
      severity: "error",
      from: { path: "^(worker|providers|cli)/" },
      to: { path: "^dashboard/" },
    },
    {
      name: "no-circular",
      comment: "no import cycle, at any level",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    includeOnly: "^(worker|providers|cli|dashboard)/",
  },
};
