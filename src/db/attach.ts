/**
 * @module Finding the embedded PostgreSQL that a running Gongkai server started, so that CLI commands connect to
 * it as ordinary clients instead of refusing ("data directory … in use") or starting a second server.
 *
 * The running postmaster is found from `postmaster.pid` in the cluster directory (pid, port and status lines,
 * written by PostgreSQL itself) and the generated superuser password next to the cluster
 * (`data/pg.gongkai-password`).
 */
import fs from "node:fs";
import path from "node:path";
import {
  EmbeddedPostgresError,
  embeddedLockPath,
  embeddedPasswordPath,
  embeddedUrl,
  isProcessAlive,
} from "./embedded.ts";

export interface RunningEmbedded {
  pid: number;
  port: number;
  /** Connection string of `database` on the running server (contains the password: never log it). */
  url(database?: string): string;
}

interface PostmasterPid {
  pid: number;
  dataDir: string;
  port: number;
  /** `starting`, `ready`, `stopping` or `standby` (line 8 of postmaster.pid, PostgreSQL 10+). */
  status: string;
}

/** Parses postmaster.pid (PostgreSQL's own format: one value per line). */
export function parsePostmasterPid(text: string): PostmasterPid | undefined {
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return { pid, dataDir: lines[1] ?? "", port, status: (lines[7] ?? "").trim() };
}

function readPostmaster(dataDir: string): PostmasterPid | undefined {
  try {
    return parsePostmasterPid(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8"));
  } catch {
    return undefined;
  }
}

/** The pid in the data directory's Gongkai lock file when that process is alive (a server is running or starting). */
export function lockOwner(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(embeddedLockPath(dataDir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The running embedded server of `dataDir`, if any. While a Gongkai process holds the lock but its PostgreSQL is
 * still starting, waits up to `waitMs` for it to become ready.
 * @throws EmbeddedPostgresError when a server holds the directory but cannot be attached to.
 */
export async function findRunningEmbedded(
  dataDir: string,
  waitMs = 15_000,
): Promise<RunningEmbedded | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pm = readPostmaster(dataDir);
    const alive = pm !== undefined && isProcessAlive(pm.pid);
    if (alive && pm.status === "ready") {
      const passwordFile = embeddedPasswordPath(dataDir);
      let password: string;
      try {
        password = fs.readFileSync(passwordFile, "utf8").trim();
      } catch {
        throw new EmbeddedPostgresError(
          `A PostgreSQL server (pid ${pm.pid}) runs on ${dataDir} but ${passwordFile} cannot be read, so this ` +
            "command cannot connect to it. Run it as the user that runs Gongkai, or set DATABASE_URL.",
        );
      }
      return {
        pid: pm.pid,
        port: pm.port,
        url: (database = "postgres") => embeddedUrl(password, pm.port, database),
      };
    }
    const owner = lockOwner(dataDir);
    if (!alive && owner === undefined) return undefined; // nothing runs: the caller may start the server
    if (Date.now() >= deadline) {
      throw new EmbeddedPostgresError(
        `The data directory ${dataDir} is in use by Gongkai process ${owner ?? pm?.pid}, but its PostgreSQL is ` +
          `not ready (${pm?.status || "starting"}). Wait until the server has started and run the command again, ` +
          "or set DATABASE_URL.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
