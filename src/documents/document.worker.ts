/**
 * @module The parser process (forked by document-pool.ts with a V8 heap limit, IPC with structured clone). For each
 * job it checks the container first (zip central directory and real inflated sizes, PDF header/trailer, HTML
 * polyglots), then imports the named parser module and calls the named function with the job's arguments. Replies
 * `{ id, ok: true, value }` or `{ id, ok: false, error: { code, message, fields?, details? } }`.
 * The pool SIGKILLs this process on a wall-time overrun, and V8 aborts it when it exceeds its heap.
 */
import { type ContainerType, checkPdf, type DocumentLimits, sniffContainer } from "./document.rules.ts";
import { DocumentViolation, inspectZip } from "./zip-inspect.ts";

export interface WorkerJob {
  id: number;
  /** The bytes of the untrusted file (also referenced from `args` when the parser needs them). */
  file: Uint8Array;
  /** File URL of the parser module (resolved by the caller, e.g. `import.meta.resolve("./x.readers.ts")`). */
  module: string;
  fn: string;
  args: unknown[];
  expect?: ContainerType | undefined;
}

export interface WorkerError {
  code: string;
  message: string;
  fields?: unknown;
  details?: unknown;
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  /** Sent once when the process has loaded: the pool starts a job's clock only on a ready process. */
  | { ready: true }
  /** The parser module is loaded (the clock restarts for the parse itself). */
  | { id: number; started: true };

const limits = JSON.parse(process.argv[2] ?? "{}") as DocumentLimits;

const send = (reply: WorkerReply) => process.send?.(reply);

async function runJob(job: WorkerJob): Promise<unknown> {
  const container = sniffContainer(job.file);
  if (container === "zip") await inspectZip(job.file, limits, job.expect);
  else if (job.expect === "docx" || job.expect === "xlsx")
    throw new DocumentViolation({
      code: "document_structure_invalid",
      message: `这不是有效的 .${job.expect} 文件（不是 Office Open XML 压缩包）。`,
    });
  if (job.expect === "pdf") {
    const v = checkPdf(job.file);
    if (v) throw new DocumentViolation(v);
  }
  const mod = (await import(job.module)) as Record<string, unknown>;
  const fn = mod[job.fn];
  if (typeof fn !== "function") throw new Error(`parser ${job.fn} not found in ${job.module}`);
  // Our parser code is loaded: the job's wall time starts again, for the parse of the untrusted bytes alone.
  send({ id: job.id, started: true });
  return await (fn as (...args: unknown[]) => unknown)(...job.args);
}

function toWorkerError(e: unknown): WorkerError {
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    const err = e as {
      code: string;
      message?: string;
      fields?: unknown;
      details?: unknown;
      status?: unknown;
    };
    // AppError (has a status) or DocumentViolation: both carry codes of src/errors.ts.
    if (typeof err.status === "number" || e instanceof DocumentViolation)
      return { code: err.code, message: String(err.message ?? ""), fields: err.fields, details: err.details };
  }
  return {
    code: "document_structure_invalid",
    message: `文件无法解析（${e instanceof Error ? e.message.slice(0, 120) : "未知错误"}）。`,
  };
}

process.on("message", (job: WorkerJob) => {
  runJob(job).then(
    (value) => send({ id: job.id, ok: true, value }),
    (e: unknown) => send({ id: job.id, ok: false, error: toWorkerError(e) }),
  );
});
// The server went away: so does this process.
process.on("disconnect", () => process.exit(0));
send({ ready: true });
