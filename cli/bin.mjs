#!/usr/bin/env node
// `switchyard`: the bundle built from the sources (cli/dist/switchyard.mjs, see launch.mjs), else
// the TypeScript sources themselves (Node ≥ 22.18 strips their types; npm installs Node 24 for us).
import module from "node:module";
import { entry } from "./launch.mjs";

// V8's code cache on disk (os.tmpdir()/node-compile-cache, keyed by content; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): a run after the first skips compiling most of the ~0.9 MB bundle.
module.enableCompileCache?.();
const { main } = await import(await entry());
process.exitCode = await main(process.argv.slice(2));
