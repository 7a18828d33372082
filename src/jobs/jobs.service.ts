/**
 * @module The console's view of background jobs: each job with its schedule, next run, queue state, last runs and
 * failures; per-agency figures are narrowed to the agencies the viewer may see. "Run now" queues a job (audited).
 */
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { JobDefinition, JobSummary } from "./job.ts";
import type { JobRunner, QueueDepth } from "./job-runner.ts";
import { recentFailures, runsOf } from "./jobs.repository.ts";
import type { JobRunRow } from "./jobs.table.ts";

export interface JobRunView {
  startedAt: Date;
  finishedAt: Date | null;
  status: JobRunRow["status"];
  attempt: number;
  /** Figures visible to the viewer: totals for the platform, one agency's figures for an agency administrator. */
  figures: Record<string, number>;
  note: string | null;
  /** Error message (platform administrators only). */
  error: string | null;
}

export interface JobView {
  name: string;
  title: string;
  description: string;
  schedule: string;
  nextRun: Date | null;
  depth: QueueDepth | null;
  runs: JobRunView[];
}

export interface JobsOverview {
  running: boolean;
  jobs: JobView[];
  failures: (JobRunView & { job: string; title: string })[];
}

/** Plain-language schedule of the cron patterns the jobs use (the expression itself otherwise). */
export function describeCron(cron: string | null): string {
  if (!cron) return "按需运行";
  if (cron === "* * * * *") return "每分钟";
  const m = /^(\d+) (\d+) \* ([\d,]+|\*) \*$/.exec(cron);
  if (m) {
    const time = `${m[2]!.padStart(2, "0")}:${m[1]!.padStart(2, "0")}`;
    if (m[3] === "*") return `每天 ${time}`;
    return `每年${m[3]!.split(",").join("、")}月每天 ${time}`;
  }
  return cron;
}

function view(row: JobRunRow, scope: "all" | readonly string[]): JobRunView {
  const summary: JobSummary | null = row.summary;
  let figures: Record<string, number> = {};
  if (summary) {
    if (scope === "all") figures = summary.totals;
    else
      for (const id of scope)
        for (const [k, v] of Object.entries(summary.agencies?.[id] ?? {})) figures[k] = (figures[k] ?? 0) + v;
  }
  return {
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    attempt: row.attempt,
    figures,
    note: scope === "all" ? (summary?.note ?? null) : null,
    error: scope === "all" ? row.error : null,
  };
}

export async function jobsOverview(
  deps: Pick<Deps, "db">,
  runner: JobRunner | undefined,
  definitions: readonly JobDefinition[],
  scope: "all" | readonly string[],
): Promise<JobsOverview> {
  const depth = runner ? await runner.depth() : [];
  const next = runner ? runner.nextRuns() : new Map<string, Date>();
  const jobs: JobView[] = [];
  for (const def of definitions) {
    jobs.push({
      name: def.name,
      title: def.title,
      description: def.description,
      schedule: describeCron(def.cron),
      nextRun: next.get(def.name) ?? null,
      depth: depth.find((d) => d.name === def.name) ?? null,
      runs: (await runsOf(deps.db, def.name, 5)).map((r) => view(r, scope)),
    });
  }
  const titles = new Map(definitions.map((d) => [d.name, d.title]));
  const failures = (await recentFailures(deps.db, 20)).map((r) => ({
    ...view(r, scope),
    job: r.job,
    title: titles.get(r.job) ?? r.job,
  }));
  return { running: runner !== undefined, jobs, failures };
}

/** Queues a run now. */
export async function runJobNow(
  deps: Pick<Deps, "db" | "audit">,
  runner: JobRunner | undefined,
  definitions: readonly JobDefinition[],
  actor: { actorId: string | null; actorName: string | undefined; ip: string | null },
  name: string,
): Promise<"queued" | "already_queued"> {
  const def = definitions.find((d) => d.name === name);
  if (!def) throw new AppError("job_not_found");
  if (!runner) throw new AppError("jobs_not_running");
  const id = await runner.enqueue(name, { manual: true, by: actor.actorName ?? null });
  await deps.audit.record(deps.db, {
    ...actor,
    action: "job.run",
    agencyId: null,
    entityType: "job",
    entityId: name,
    summary: id ? `立即运行后台任务“${def.title}”` : `立即运行后台任务“${def.title}”：已在队列中`,
  });
  return id ? "queued" : "already_queued";
}
