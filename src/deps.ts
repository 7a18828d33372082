/**
 * @module The one place that wires dependencies. main (serve), the CLI and tests all build a `Deps`.
 */
import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";
import type { Db } from "./db/database.ts";
import { type Clock, systemClock } from "./shared/clock.ts";

export interface Deps {
  config: Readonly<Config>;
  db: Db;
  clock: Clock;
  logger: Logger;
}

export function createLogger(config: Pick<Config, "logLevel" | "isProduction">): Logger {
  return pino({
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
  });
}

export function createDeps(
  config: Readonly<Config>,
  db: Db,
  overrides: Partial<Omit<Deps, "config" | "db">> = {},
): Deps {
  return {
    config,
    db,
    clock: overrides.clock ?? systemClock,
    logger: overrides.logger ?? createLogger(config),
  };
}
