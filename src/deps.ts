/**
 * @module The one place that wires dependencies. main (serve), the CLI and tests all build a `Deps`.
 */
import pino, { type Logger } from "pino";
import { configureAuditKey } from "./audit/audit.key.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/database.ts";
import { type Clock, systemClock } from "./shared/clock.ts";

export interface Deps {
  config: Readonly<Config>;
  db: Db;
  clock: Clock;
  logger: Logger;
}

/** Logs go to stdout for the server, and to stderr for CLI commands (their stdout is data, e.g. --json). */
export function createLogger(
  config: Pick<Config, "logLevel" | "isProduction">,
  stream: "stdout" | "stderr" = "stdout",
): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { app: "gongkai" },
      // Personal data never goes to logs: redact credentials and anything that looks like identity data.
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'res.headers["set-cookie"]',
          "*.password",
          "*.idNumber",
          "*.phone",
        ],
        censor: "[已隐藏]",
      },
    },
    pino.destination({ fd: stream === "stderr" ? 2 : 1, sync: stream === "stderr" }),
  );
}

export function createDeps(
  config: Readonly<Config>,
  db: Db,
  overrides: Partial<Omit<Deps, "config" | "db">> = {},
): Deps {
  // The audit chain's HMAC key for this process (recordAudit is called with only a transaction).
  configureAuditKey(config);
  return {
    config,
    db,
    clock: overrides.clock ?? systemClock,
    logger: overrides.logger ?? createLogger(config),
  };
}
