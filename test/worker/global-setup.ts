// Runs in Node before the workerd tests: starts a real whoami upstream on loopback.
import type { TestProject } from "vitest/node";
import { startWhoami } from "../../examples/whoami.ts";

declare module "vitest" {
  export interface ProvidedContext {
    whoamiUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startWhoami({ port: 0, name: "test-whoami" });
  project.provide("whoamiUrl", server.url);
  return () => server.close();
}
