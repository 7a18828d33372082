#!/usr/bin/env node
// The `gongkai` command (package bin, `npx gongkai`). Checks the Node version, then runs the TypeScript CLI.
import "./node-check.js";

// The only place the process's argv, streams and environment are handed to the CLI (src/cli/main.ts).
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
  process.env,
);
