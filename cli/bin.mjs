#!/usr/bin/env node
// Node ≥ 22.18 runs the TypeScript sources directly (type stripping); npm installs Node 24 for us.
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
