/**
 * @module Shared start-up for the server and the CLI: config, secret, database, migrations, deps.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Config, loadConfig } from "../config.ts";
import { type DatabaseHandle, openDatabase } from "../db/connection.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { createDeps, createLogger, type Deps } from "../deps.ts";

/** The cookie/CSRF secret: from configuration, else generated once and kept in dataDir/secret.key (0600). */
export function ensureSecret(config: Readonly<Config>): Readonly<Config> {
  if (config.secret) return config;
  const file = path.join(config.dataDir, "secret.key");
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file))
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  return Object.freeze({ ...config, secret: fs.readFileSync(file, "utf8").trim() });
}

export interface Runtime {
  deps: Deps;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database (embedded or external), migrates to latest and builds deps. */
export async function openRuntime(
  options: { migrate?: boolean; config?: Readonly<Config>; logTo?: "stdout" | "stderr" } = {},
): Promise<Runtime> {
  const config = ensureSecret(options.config ?? loadConfig());
  const logger = createLogger(config, options.logTo ?? "stdout");
  const handle = await openDatabase(config, (line) => logger.debug({ postgres: line }, "postgres"));
  try {
    if (options.migrate !== false) {
      const report = await migrateToLatest(handle.db);
      if (report.applied.length) logger.info({ migrations: report.applied }, "migrations applied");
    }
  } catch (e) {
    await handle.close();
    throw e;
  }
  const deps = createDeps(config, handle.db, { logger });
  return { deps, handle, close: () => handle.close() };
}

/** Runs `fn` with an open runtime and always closes it (stopping the embedded server). */
export async function withRuntime<T>(
  fn: (runtime: Runtime) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  // CLI commands print data on stdout: their logs go to stderr.
  const runtime = await openRuntime({ ...options, logTo: "stderr" });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}
