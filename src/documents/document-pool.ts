/**
 * @module Untrusted documents are parsed in isolation: a small pool of parser child processes, each with a V8 heap
 * limit (--max-old-space-size), a wall-time limit per job (the process is SIGKILLed) and a job count after which it
 * is replaced. A process that overran its heap or time is never reused. (Child processes rather than worker
 * threads: a worker thread's heap overrun can abort the whole server process.) The server's thread only copies
 * bytes in and results out, so it keeps answering other requests while a zip bomb is being rejected.
 *
 *   const pool = createDocumentPool({ limits: { timeoutMs: 20_000 } });
 *   const text = await pool.parse<string>({
 *     file: bytes, expect: "docx",
 *     module: import.meta.resolve("./attachment-text.ts"), fn: "extractAttachmentText", args: ["docx", bytes],
 *   });
 *   await pool.close();
 *
 * Errors (AppError): document_* codes (limits, structure), document_parse_timeout, document_parse_memory,
 * document_parser_busy (queue full), or whatever the parser threw (its AppError code is kept).
 */
import { type ChildProcess, fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { AppError, ERROR_CODES, type ErrorCode } from "../errors.ts";
import { type ContainerType, DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from "./document.rules.ts";
import type { WorkerJob, WorkerReply } from "./document.worker.ts";

export interface ParseJob {
  file: Uint8Array;
  /** The container the caller expects; its structure is verified (required parts, PDF header and trailer). */
  expect?: ContainerType | undefined;
  module: string;
  fn: string;
  args: unknown[];
}

export interface DocumentPoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** Processes ended because of a time or heap overrun, a crash, or their job count. */
  recycled: number;
  completed: number;
}

export interface DocumentPool {
  readonly limits: Readonly<DocumentLimits>;
  parse<T>(job: ParseJob): Promise<T>;
  stats(): DocumentPoolStats;
  /** The process ids of the live parser processes (for operators' tools and tests). */
  pids(): number[];
  close(): Promise<void>;
}

export interface DocumentPoolOptions {
  limits?: Partial<DocumentLimits> | undefined;
  /** Parser processes (default: min(2, CPUs − 1), at least 1). */
  size?: number | undefined;
  /** Jobs waiting for a parser before new ones get document_parser_busy. */
  maxQueue?: number | undefined;
  /** A parser process is replaced after this many jobs (bounds heap growth and any leak in a parser). */
  maxJobsPerWorker?: number | undefined;
  /** Told of each parser process that died during a job (signal, exit code, the end of its stderr), for the log. */
  onParserDeath?: ((death: ParserDeath & { code: string; stderr: string }) => void) | undefined;
}

interface Pending {
  job: WorkerJob;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What V8 and Node print when a process runs out of memory: its heap (--max-old-space-size: "Reached heap limit
 * Allocation failed - JavaScript heap out of memory") or memory it could not get from the system ("Zone Allocation
 * failed - process out of memory", "Committing semi space failed"). */
const OUT_OF_MEMORY = /out of memory|heap limit|allocation failed|semi space failed/i;
/** What they print for a fatal error that is not about memory (a failed internal check). */
const OTHER_FATAL = /assertion failed|fatal error in|check failed/i;

export interface ParserDeath {
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  exitCode: number | null;
  /** Its stderr named a memory overrun (seen as the text arrived, whatever its length). */
  outOfMemory: boolean;
  /** Its stderr named a fatal error that is not about memory. */
  otherFatal: boolean;
}

/**
 * The error for a parser process that died during a job, which the pool did not kill (its own kills, for the wall
 * time or on close, never reach here). A memory overrun is `document_parse_memory`: V8 names it on stderr and aborts
 * (SIGABRT); a SIGKILL nobody here sent is the kernel's OOM killer (a cgroup or machine limit); a SIGABRT without a
 * message is V8's heap abort whose text was lost. Anything else (a crash in a parser, a failed internal check) is a
 * file that cannot be parsed.
 */
export function parserDeathCode(d: ParserDeath): "document_parse_memory" | "document_structure_invalid" {
  if (d.outOfMemory) return "document_parse_memory";
  if (d.signal === "SIGKILL") return "document_parse_memory";
  if (d.signal === "SIGABRT" && !d.otherFatal) return "document_parse_memory";
  return "document_structure_invalid";
}

interface Slot {
  child: ChildProcess;
  jobs: number;
  current?: { pending: Pending; timer: NodeJS.Timeout } | undefined;
  /** The process has loaded its modules (start-up time never counts against a job's wall time). */
  ready: boolean;
  ended: boolean;
  /** The end of its stderr (V8 names a heap overrun there). */
  stderr: string;
  /** V8 reported running out of memory on stderr (seen as the text arrives: its native stack trace after the line
   * can be longer than the tail kept, and a heap kill was then reported as a bad file under load). */
  outOfMemory: boolean;
  /** V8 or Node reported another fatal error on stderr. */
  otherFatal: boolean;
}

const WORKER_PATH = fileURLToPath(new URL("./document.worker.ts", import.meta.url));

function appErrorOf(error: { code: string; message: string; fields?: unknown; details?: unknown }): AppError {
  const code = (error.code in ERROR_CODES ? error.code : "document_structure_invalid") as ErrorCode;
  return new AppError(code, error.message || undefined, {
    ...(Array.isArray(error.fields) ? { fields: error.fields } : {}),
    ...(error.details && typeof error.details === "object"
      ? { details: error.details as Record<string, unknown> }
      : {}),
  });
}

/** Handles that keep the event loop alive only while the process works on a job. */
function setRef(child: ChildProcess, on: boolean): void {
  const handles = [child, child.channel, child.stderr] as (
    | { ref?: () => void; unref?: () => void }
    | null
    | undefined
  )[];
  for (const h of handles) (on ? h?.ref : h?.unref)?.call(h);
}

export function createDocumentPool(options: DocumentPoolOptions = {}): DocumentPool {
  const limits: Readonly<DocumentLimits> = Object.freeze({ ...DEFAULT_DOCUMENT_LIMITS, ...options.limits });
  const size = Math.max(1, options.size ?? Math.min(2, os.availableParallelism() - 1));
  const maxQueue = options.maxQueue ?? 32;
  const maxJobs = options.maxJobsPerWorker ?? 100;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let recycled = 0;
  let completed = 0;
  let closed = false;

  function retire(slot: Slot): void {
    if (slot.ended) return;
    slot.ended = true;
    recycled++;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    slot.child.kill("SIGKILL");
    setRef(slot.child, false);
  }

  function finish(slot: Slot, outcome: { value: unknown } | { error: unknown }, recycle: boolean): void {
    const current = slot.current;
    slot.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      completed++;
      if ("error" in outcome) current.pending.reject(outcome.error);
      else current.pending.resolve(outcome.value);
    }
    if (recycle || slot.jobs >= maxJobs) retire(slot);
    else setRef(slot.child, false);
    dispatch();
  }

  function spawn(): Slot {
    // A separate process: a heap overrun (V8 aborts) or a crash ends it, never the server. It gets no secrets
    // from the environment and no flags of ours but its heap limits and one GC thread.
    const child = fork(WORKER_PATH, [JSON.stringify(limits)], {
      serialization: "advanced",
      // --single-threaded-gc: near its heap limit on a loaded machine, V8's concurrent GC sometimes failed an
      // internal check ("Check failed: GetTimerForCollectionRequest(kind).IsStarted()", SIGTRAP) instead of its
      // out-of-memory abort, and a heap overrun was reported as a bad file: 3 of 40 runs of the heap test beside
      // three busy loops, 0 of 40 with this flag. Its cost on an idle machine: a 20,000-paragraph .docx parses in
      // ~0.5 s instead of ~0.4 s (GC no longer borrows the second core, which the server needs under load).
      execArgv: [
        `--max-old-space-size=${limits.maxHeapMb}`,
        "--max-semi-space-size=16",
        "--single-threaded-gc",
      ],
      env: { PATH: process.env.PATH ?? "", TZ: process.env.TZ ?? "Asia/Shanghai", LANG: "C.UTF-8" },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const slot: Slot = {
      child,
      jobs: 0,
      ready: false,
      ended: false,
      stderr: "",
      outOfMemory: false,
      otherFatal: false,
    };
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      const text = slot.stderr + chunk;
      if (OUT_OF_MEMORY.test(text)) slot.outOfMemory = true;
      if (OTHER_FATAL.test(text)) slot.otherFatal = true;
      slot.stderr = text.slice(-4096);
    });
    child.on("message", (reply: WorkerReply) => {
      if ("ready" in reply) {
        slot.ready = true;
        dispatch();
        return;
      }
      if (!slot.current || slot.current.pending.job.id !== reply.id) return;
      if ("started" in reply) {
        clearTimeout(slot.current.timer);
        slot.current.timer = startTimer(slot);
        return;
      }
      finish(slot, reply.ok ? { value: reply.value } : { error: appErrorOf(reply.error) }, false);
    });
    child.on("error", () => {
      // Spawn or IPC failure: "exit" (or the missing "ready") handles it.
    });
    // "close", not "exit": it comes after stderr is drained, so V8's "heap out of memory" line is always seen
    // (on "exit" the last stderr chunk may still be in flight, and a heap kill was once reported as a bad file).
    child.on("close", (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (slot.current) {
        const death = { signal, exitCode, outOfMemory: slot.outOfMemory, otherFatal: slot.otherFatal };
        const code = parserDeathCode(death);
        options.onParserDeath?.({ ...death, code, stderr: slot.stderr });
        const error =
          code === "document_parse_memory"
            ? new AppError(code, undefined, { details: { maxHeapMb: limits.maxHeapMb, signal } })
            : new AppError(code, "文件无法解析（解析进程异常结束）。", { details: { signal, exitCode } });
        finish(slot, { error }, true);
      } else if (!slot.ready && !slot.ended) {
        // The process could not even start: fail the waiting jobs rather than respawning in a loop.
        retire(slot);
        for (const p of queue.splice(0))
          p.reject(new AppError("service_unavailable", "文件解析服务无法启动。"));
      } else retire(slot);
    });
    setRef(child, false);
    slots.push(slot);
    return slot;
  }

  /** The wall-time limit of the job on `slot`: on overrun the process is killed. */
  function startTimer(slot: Slot): NodeJS.Timeout {
    return setTimeout(() => {
      finish(
        slot,
        {
          error: new AppError("document_parse_timeout", undefined, {
            details: { timeoutMs: limits.timeoutMs },
          }),
        },
        true,
      );
    }, limits.timeoutMs);
  }

  function dispatch(): void {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.ready && !s.current && !s.ended);
      if (!slot) {
        // Start a process when every existing one is busy; the job waits for its "ready".
        if (slots.length < size && slots.every((s) => s.ready)) spawn();
        return;
      }
      const pending = queue.shift() as Pending;
      slot.jobs++;
      const timer = startTimer(slot);
      slot.current = { pending, timer };
      setRef(slot.child, true);
      slot.child.send(pending.job);
    }
  }

  return {
    limits,
    parse<T>(job: ParseJob): Promise<T> {
      if (closed) return Promise.reject(new AppError("service_unavailable"));
      if (job.file.byteLength > limits.maxBytes)
        return Promise.reject(
          new AppError(
            "payload_too_large",
            `文件超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MB 上限。`,
          ),
        );
      if (queue.length >= maxQueue) return Promise.reject(new AppError("document_parser_busy"));
      return new Promise<T>((resolve, reject) => {
        queue.push({
          job: {
            id: nextId++,
            file: job.file,
            module: job.module,
            fn: job.fn,
            args: job.args,
            expect: job.expect,
          },
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        dispatch();
      });
    },
    stats: () => ({
      workers: slots.length,
      busy: slots.filter((s) => s.current).length,
      queued: queue.length,
      recycled,
      completed,
    }),
    pids: () => slots.flatMap((s) => (s.ended || s.child.pid === undefined ? [] : [s.child.pid])),
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new AppError("service_unavailable"));
      await Promise.all(
        [...slots].map(async (slot) => {
          if (slot.current) {
            clearTimeout(slot.current.timer);
            slot.current.pending.reject(new AppError("service_unavailable"));
            slot.current = undefined;
          }
          slot.ended = true;
          if (slot.child.exitCode === null && slot.child.signalCode === null) {
            const exited = new Promise((r) => slot.child.once("exit", r));
            slot.child.kill("SIGKILL");
            await exited;
          }
        }),
      );
      slots.length = 0;
    },
  };
}
