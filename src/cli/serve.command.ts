/**
 * @module `gongkai serve`: start the database (embedded by default), migrate, seed the demo, listen; stop
 * everything cleanly on SIGINT/SIGTERM so no PostgreSQL process is left behind. With `--workers N`, N worker
 * processes serve the port (serve-workers.ts); one of them runs the background jobs.
 */
import { ensureSetupToken } from "../accounts/setup.service.ts";
import { buildApp } from "../app.ts";
import { featureJobs } from "../app-jobs.ts";
import { type EventBridge, startEventBridge } from "../cluster/event-bridge.ts";
import { loadConfig } from "../config.ts";
import { type JobRunner, startJobRunner } from "../jobs/job-runner.ts";
import { seedDemo } from "../seed.ts";
import { type CliEnv, CliError, type CliIo, type Command } from "./command.ts";
import { openRuntime, type Runtime } from "./runtime.ts";
import { parseWorkers, runPrimary, workerNumber } from "./serve-workers.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "启动网站（默认使用内置 PostgreSQL） / start the web server",
  usage: "gongkai serve [--port N] [--host ADDR] [--no-seed] [--workers N]",
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "no-seed": { type: "boolean" },
    workers: { type: "string" },
  },
  async run({ values }, io, env) {
    // --port/--host win over PORT/HOST (the workers of --workers inherit them through their environment).
    const serveEnv: CliEnv = {
      ...env,
      ...(values.port !== undefined ? { PORT: String(values.port) } : {}),
      ...(values.host !== undefined ? { HOST: String(values.host) } : {}),
    };
    const workers = parseWorkers(values.workers);
    const worker = workerNumber(serveEnv);
    const config = loadConfig({ ...serveEnv });
    if (worker !== null) {
      // A worker of `serve --workers`: the primary started, migrated and seeded the database; attach to it.
      const runtime = await openRuntime({
        config,
        attach: true,
        migrate: false,
        note: (text) => io.stderr.write(text),
      });
      return serveHttp(runtime, io, worker);
    }
    const runtime = await openRuntime({ config, note: (text) => io.stdout.write(text), supervise: true });
    const { deps } = runtime;
    try {
      if (deps.config.seedDemo && !values["no-seed"]) {
        const report = await seedDemo(deps);
        deps.logger.info({ seed: report }, "demo data ready");
      }
      // First run: no administrator yet → a one-time set-up link (never a default password).
      const setupToken = await ensureSetupToken(deps);
      if (setupToken) {
        const link = `${deps.config.publicUrl}/admin/setup?token=${setupToken}`;
        deps.logger.warn("no administrator account yet: open the one-time set-up link printed on stdout");
        io.stdout.write(
          `\n首次使用：请在浏览器中打开以下一次性链接，创建管理员账户 / first run, create the administrators at:\n  ${link}\n\n`,
        );
      }
    } catch (e) {
      await runtime.close();
      throw e;
    }
    if (workers > 1) return runPrimary(runtime, workers, io, serveEnv);
    return serveHttp(runtime, io, null);
  },
};

/** Builds the app and listens (the single process, or one worker), until SIGINT/SIGTERM. */
async function serveHttp(runtime: Runtime, io: CliIo, worker: number | null): Promise<number> {
  const { deps } = runtime;
  let shuttingDown: Promise<void> | undefined;
  try {
    const app = await buildApp(deps);
    // Which process answered (several workers share the port): for operators and the multi-worker test.
    if (worker !== null)
      app.addHook("onSend", async (_request, reply) => {
        reply.header("x-gongkai-worker", String(worker));
      });
    let runner: JobRunner | undefined;
    let bridge: EventBridge | undefined;
    // A signal during start-up (between listening and the job runner's start) waits for the start to end, so that
    // what it starts is stopped too: it used to close the database while the event bridge and pg-boss were still
    // starting, and pg-boss then kept the process alive, retrying its connection, until systemd's SIGKILL.
    let startupDone: () => void = () => {};
    const startup = new Promise<void>((resolve) => {
      startupDone = resolve;
    });
    const shutdown = (signal: string) => {
      shuttingDown ??= (async () => {
        deps.logger.info({ signal }, "shutting down");
        await startup;
        // Jobs first (a running job finishes or is retried later), then HTTP, then the database.
        await runner?.stop().catch((err) => deps.logger.error({ err }, "job runner stop failed"));
        await app.close();
        await bridge?.stop();
        await runtime.close();
        deps.logger.info("stopped");
      })();
      return shuttingDown;
    };
    const exited = new Promise<void>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
          shutdown(signal).then(resolve, (e) => {
            io.stderr.write(`gongkai: shutdown failed: ${(e as Error).message}\n`);
            resolve();
          });
        });
      }
    });
    try {
      try {
        await app.listen({ host: deps.config.host, port: deps.config.port });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
          throw new CliError(
            `port ${deps.config.port} on ${deps.config.host} is already in use; set PORT to a free port or stop the other server`,
          );
        }
        throw e;
      }
      // Events to and from the other app processes on this database (page-cache invalidation and the like).
      bridge = await startEventBridge(deps, runtime.handle.url);
      if (deps.config.jobs) {
        runner = await startJobRunner({
          deps,
          connectionString: runtime.handle.url,
          definitions: featureJobs(),
          probe: async (path) => (await app.inject({ method: "GET", url: path })).statusCode,
        });
        deps.jobs = runner;
        deps.logger.info({ jobs: runner.definitions.map((d) => d.name), worker }, "background jobs started");
      }
    } finally {
      startupDone();
    }
    if (shuttingDown) {
      await exited;
      return 0;
    }
    io.stdout.write(
      worker === null
        ? `Gongkai 已启动 / listening on ${deps.config.publicUrl}\n`
        : `Gongkai 工作进程 ${worker} 已启动${deps.config.jobs ? "（负责后台任务）" : ""} / worker ${worker} listening${deps.config.jobs ? " (job runner)" : ""}\n`,
    );
    await exited;
    return 0;
  } catch (e) {
    if (!shuttingDown) await runtime.close();
    throw e;
  }
}
