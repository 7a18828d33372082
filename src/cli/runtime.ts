/**
 * @module Shared start-up for the server and the CLI: config, secret, encryption key, database, migrations, deps.
 *
 * CLI commands attach to the embedded PostgreSQL of a running Gongkai server on the same data directory (or use
 * DATABASE_URL); only when neither is available do they start the embedded server themselves, and say so.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { findRunningEmbedded } from "../db/attach.ts";
import { type DatabaseHandle, openDatabase } from "../db/connection.ts";
import type { SupervisorEvent } from "../db/embedded.ts";
import { hugePagesAdvice, sharedMemoryFacts } from "../db/huge-pages.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { createDeps, createLogger, type Deps } from "../deps.ts";
import { ENCRYPTION_KEY_FILE, SECRET_FILE } from "../ops/key-files.ts";
import { hasEncryptedPersonalData } from "../ops/restore-check.ts";
import type { CliEnv, CliIo } from "./command.ts";

export { ENCRYPTION_KEY_FILE, SECRET_FILE };

/** Reads dataDir/<file>, creating it first (0600) with `generate()` when missing. Returns [value, created]. */
function ensureKeyFile(dataDir: string, file: string, generate: () => string): [string, boolean] {
  const full = path.join(dataDir, file);
  fs.mkdirSync(dataDir, { recursive: true });
  let created = false;
  try {
    fs.writeFileSync(full, generate(), { mode: 0o600, flag: "wx" });
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return [fs.readFileSync(full, "utf8").trim(), created];
}

/** The cookie/CSRF secret: from configuration, else generated once and kept in dataDir/secret.key (0600). */
export function ensureSecret(config: Readonly<Config>): Readonly<Config> {
  if (config.secret) return config;
  const [secret] = ensureKeyFile(config.dataDir, SECRET_FILE, () => randomBytes(32).toString("hex"));
  return Object.freeze({ ...config, secret });
}

/**
 * The encryption key of applicants' personal data and TOTP secrets: GONGKAI_ENCRYPTION_KEY when configured, else
 * generated once (32 random bytes, hex) into dataDir/encryption.key (0600). `onCreated` receives a loud note when
 * the key is generated: whoever loses it loses every applicant's personal data.
 */
export function ensureEncryptionKey(
  config: Readonly<Config>,
  onCreated: (note: string) => void = () => {},
): Readonly<Config> {
  if (config.encryptionKey) return config;
  const file = path.join(config.dataDir, ENCRYPTION_KEY_FILE);
  const [key, created] = ensureKeyFile(config.dataDir, ENCRYPTION_KEY_FILE, () =>
    randomBytes(32).toString("hex"),
  );
  if (!/^[0-9a-fA-F]{64}$/.test(key))
    throw new Error(`${file} does not hold a 32-byte key (64 hex characters); restore it from your backup`);
  if (created) onCreated(encryptionKeyNote(file));
  return Object.freeze({ ...config, encryptionKey: key });
}

export function encryptionKeyNote(file: string): string {
  const bar = "!".repeat(78);
  return [
    "",
    bar,
    "!! 已生成个人信息加密密钥 / generated the encryption key of applicants' personal data:",
    `!!   ${file}`,
    "!! 请立即备份此文件并与数据库备份分开保存。丢失此密钥，所有申请人的个人信息将无法解密。",
    "!! Back this file up NOW, apart from the database backups. Without it every applicant's",
    "!! personal data is unreadable. Set GONGKAI_ENCRYPTION_KEY to use a key kept elsewhere.",
    bar,
    "",
  ].join("\n");
}

export interface Runtime {
  deps: Deps;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  migrate?: boolean;
  /** The configuration (`loadConfig(env)` by the caller: the runtime never reads the process environment). */
  config: Readonly<Config>;
  logTo?: "stdout" | "stderr";
  /** Attach to a running Gongkai server's embedded PostgreSQL (CLI commands) instead of refusing. */
  attach?: boolean;
  /** Where human notes go (key generated, embedded server started for one command). */
  note?: (text: string) => void;
  /** Restart the embedded PostgreSQL if it dies (`gongkai serve`), with a log line and an audit entry. */
  supervise?: boolean | { maxRestarts?: number; backoffMs?: number } | undefined;
  /** PostgreSQL's lock_timeout for the main pool (CLI commands: config.cliLockTimeoutMs); unset = wait for locks. */
  lockTimeoutMs?: number | undefined;
}

/** Opens the database (external, attached or embedded), migrates to latest and builds deps. */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const base = ensureSecret(options.config);
  const logger = createLogger(base, options.logTo ?? "stdout");
  let audit: ((event: SupervisorEvent) => Promise<void>) | undefined;
  const handle = await openDatabase(base, {
    ...(options.supervise
      ? {
          supervise: {
            ...(typeof options.supervise === "object" ? options.supervise : {}),
            onEvent: (e: SupervisorEvent) => onDatabaseEvent(e, logger, audit),
          },
        }
      : {}),
    onLog: (line) => logger.debug({ postgres: line }, "postgres"),
    attach: options.attach ?? false,
    lockTimeoutMs: options.lockTimeoutMs,
    onStartEmbedded: () => {
      if (options.attach)
        options.note?.(
          `gongkai: no Gongkai server is running on ${base.pgDataDir}: starting the embedded PostgreSQL for this ` +
            "command only (a few seconds). To avoid it, run commands while `gongkai serve` runs (they connect to " +
            "its database) or set DATABASE_URL.\n",
        );
    },
  });
  let config: Readonly<Config>;
  try {
    if (options.migrate !== false) {
      const report = await migrateToLatest(handle.db);
      if (report.applied.length) logger.info({ migrations: report.applied }, "migrations applied");
    }
    const keyFile = path.join(base.dataDir, ENCRYPTION_KEY_FILE);
    // Never generate a new key over personal data encrypted with a key that went missing (a restore without keys).
    if (!base.encryptionKey && !fs.existsSync(keyFile) && (await hasEncryptedPersonalData(handle.db)))
      throw new ConfigError([
        `the database holds encrypted personal data but no encryption key is configured and ${keyFile} is ` +
          "missing: put the original key there (from your key backup) or set GONGKAI_ENCRYPTION_KEY",
      ]);
    config = ensureEncryptionKey(base, (note) => {
      logger.warn({ file: keyFile }, "generated the encryption key: back it up");
      options.note?.(note);
    });
  } catch (e) {
    await handle.close();
    throw e;
  }
  const deps = createDeps(config, handle.db, {
    logger,
    replicaDb: handle.replicaDb,
    searchDb: handle.searchDb,
    searchReplicaDb: handle.searchReplicaDb,
  });
  if (handle.embedded && options.supervise) {
    const embedded = handle.embedded;
    deps.databaseState = () => embedded.state();
    audit = (event) => auditDatabaseEvent(deps, event);
  }
  if (options.supervise) {
    // The web server only (not every CLI command): shared_buffers of gigabytes outside huge pages.
    const facts = await sharedMemoryFacts(handle.db).catch(() => undefined);
    const advice = facts && hugePagesAdvice(facts);
    if (advice) logger.warn({ postgres: facts }, advice);
  }
  return {
    deps,
    handle,
    close: async () => {
      await deps.documents.close();
      await handle.close();
    },
  };
}

/** A supervision event of the embedded PostgreSQL: a log line, and an audit entry once the database is back. */
function onDatabaseEvent(
  event: SupervisorEvent,
  logger: Deps["logger"],
  audit: ((event: SupervisorEvent) => Promise<void>) | undefined,
): void {
  if (event.type === "died") logger.error({ postgres: event }, "embedded PostgreSQL died: restarting it");
  else if (event.type === "restarted") logger.warn({ postgres: event }, "embedded PostgreSQL restarted");
  else if (event.type === "restart_failed")
    logger.error({ postgres: event }, "embedded PostgreSQL restart failed");
  else logger.fatal({ postgres: event }, "embedded PostgreSQL could not be restarted: /healthz answers 503");
  if (event.type === "restarted")
    audit?.(event).catch((err) => logger.error({ err }, "could not audit the database restart"));
}

async function auditDatabaseEvent(deps: Deps, event: SupervisorEvent): Promise<void> {
  if (event.type !== "restarted") return;
  await deps.audit.record(deps.db, {
    actorId: null,
    actorName: "系统",
    ip: null,
    action: "system.database_restarted",
    agencyId: null,
    entityType: "database",
    entityId: null,
    summary: `内置数据库意外停止，已自动重启（第 ${event.attempt} 次尝试，中断约 ${Math.round(event.downMs / 1000)} 秒）`,
    after: { pid: event.pid, attempt: event.attempt, downMs: event.downMs },
  });
}

/**
 * Runs `fn` with an open runtime and always closes it (stopping the embedded server only if this command started
 * it). CLI commands attach to a running server's database; notes (a key generated, a server started for this
 * command) go to `io.stderr`; configuration comes from `env` (the CLI never reads `process.env` itself).
 */
export async function withRuntime<T>(
  fn: (runtime: Runtime) => Promise<T>,
  options: {
    migrate?: boolean;
    io: CliIo;
    env: CliEnv;
    config?: Readonly<Config>;
    /** Wait for other sessions' locks as long as it takes (`dev generate` waits for another load by design). */
    waitForLocks?: boolean;
  },
): Promise<T> {
  const config = options.config ?? loadConfig({ ...options.env });
  // CLI commands print data on stdout: their logs go to stderr. A statement that waits longer than
  // GONGKAI_CLI_LOCK_TIMEOUT_SECONDS for a lock (a migration, a long transaction of the server) fails with 55P03,
  // which main.ts reports as "the database is busy", instead of hanging the operator's terminal.
  const runtime = await openRuntime({
    ...(options.migrate === undefined ? {} : { migrate: options.migrate }),
    config,
    lockTimeoutMs: options.waitForLocks ? undefined : config.cliLockTimeoutMs,
    note: (text) => options.io.stderr.write(text),
    logTo: "stderr",
    attach: true,
  });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/**
 * For commands that can work without a database (`deadline add`, `calendar show|ics` on the bundled calendar):
 * runs `fn` with the database when one is available without starting anything (DATABASE_URL, or a running
 * server's embedded PostgreSQL), else with `undefined`. Never starts the embedded server.
 */
export async function withDatabaseIfRunning<T>(
  fn: (runtime: Runtime | undefined) => Promise<T>,
  options: { io: CliIo; env: CliEnv; config?: Readonly<Config> },
): Promise<T> {
  const config = options.config ?? loadConfig({ ...options.env });
  let available = config.databaseUrl !== undefined;
  try {
    available ||= (await findRunningEmbedded(config.pgDataDir, 0)) !== undefined;
  } catch {
    available = false; // a server is starting or unreachable: the bundled data answers
  }
  if (!available) {
    options.io.stderr.write(
      "gongkai: no database is running: using the bundled working-day calendar (2019–2026 State Council " +
        "notices); notices and regional days entered in the console are not included.\n",
    );
    return fn(undefined);
  }
  return withRuntime(fn, { ...options, config });
}
