#!/usr/bin/env node
// The `gongkai` command (package bin, `npx gongkai`). Checks the Node version, then runs the TypeScript CLI.
import "./node-check.js";

const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
