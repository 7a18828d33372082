/**
 * @module 强制检测 over already-published records, on demand: the agency's 政务公开办 starts a run; the background
 * job `publishing.content-check` (or, in a process without a job runner, the request itself) checks every published
 * record of the agency — personal data (条例第15条), sensitive words and leaders' titles — and stores the findings
 * for the report page and its CSV export. Personal data appears in the report only masked.
 */
import type { StaffActor } from "../accounts/policy.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import {
  claimQueuedRuns,
  findRun,
  finishRun,
  insertRun,
  latestRuns,
  publishedForCheck,
} from "./content-checks.repository.ts";
import { type CheckedText, checkTexts, getCheckLists } from "./content-checks.service.ts";
import type { CheckRunFinding, ContentCheckRunRow } from "./content-checks.table.ts";
import { PERSONAL_DATA_LABELS, scanPersonalData } from "./personal-data.rules.ts";
import { findAttachments } from "./record.repository.ts";
import { assertCan, uid } from "./record.service.ts";

export const CONTENT_CHECK_JOB = "publishing.content-check";

/** Queues a run for the agency and hands it to the job runner; without one (tests, CLI) runs it right away. */
export async function startPublishedCheck(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
): Promise<ContentCheckRunRow> {
  assertCan(actor, "checks.manage", agencyId);
  const run = await deps.db.transaction().execute(async (trx) => {
    const row = await insertRun(trx, {
      agency_id: agencyId,
      started_by: uid(actor),
      started_by_name: actor.user.displayName,
    });
    await deps.audit.record(trx, {
      actorId: uid(actor),
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "content_checks.run_start",
      agencyId,
      entityType: "content_check_run",
      entityId: row.id,
      summary: "对已发布信息启动发布前检测（敏感词、领导职务、个人信息）",
    });
    return row;
  });
  // A run already queued in pg-boss picks this one up too (it claims every queued run).
  if (deps.jobs) await deps.jobs.enqueue(CONTENT_CHECK_JOB, { manual: true, by: actor.user.id });
  else await runQueuedChecks(deps);
  return run;
}

/** Checks one agency's published records (a page at a time). */
export async function checkPublishedRecords(
  db: DbOrTx,
  agencyId: string,
  signal?: AbortSignal,
): Promise<{ checked: number; findings: CheckRunFinding[] }> {
  const lists = await getCheckLists(db, agencyId);
  const findings: CheckRunFinding[] = [];
  let checked = 0;
  let after: string | null = null;
  for (;;) {
    if (signal?.aborted) throw new Error("stopped");
    const page = await publishedForCheck(db, agencyId, after, 200);
    if (page.length === 0) break;
    for (const r of page) {
      checked++;
      const attachments = await findAttachments(db, agencyId, r.attachment_ids);
      const texts: CheckedText[] = [
        { place: "标题", text: r.title },
        { place: "内容概述", text: r.summary },
        { place: "正文", text: r.body_text },
        ...attachments.map((a) => ({ place: `附件《${a.file_name}》`, text: a.extracted_text })),
      ];
      const base = { recordId: r.id, title: r.title, indexNo: r.index_no };
      for (const t of texts) {
        for (const p of scanPersonalData(t.text)) {
          findings.push({
            ...base,
            kind: "personal_data",
            severity: "block",
            place: t.place,
            message: `${PERSONAL_DATA_LABELS[p.kind]}（已遮盖：${p.masked}）`,
          });
        }
      }
      for (const f of checkTexts(lists, texts, r.formed_date)) {
        findings.push({
          ...base,
          kind: f.kind,
          severity: f.severity,
          place: `${f.place}第${f.line}行`,
          message: f.message,
        });
      }
    }
    after = page.at(-1)?.id ?? null;
  }
  return { checked, findings };
}

/** Runs every queued run (the job's body). */
export async function runQueuedChecks(
  deps: Pick<Deps, "db" | "clock">,
  signal?: AbortSignal,
): Promise<{ runs: number; checked: number; findings: number }> {
  const runs = await claimQueuedRuns(deps.db);
  const totals = { runs: runs.length, checked: 0, findings: 0 };
  for (const run of runs) {
    try {
      const { checked, findings } = await checkPublishedRecords(deps.db, run.agency_id, signal);
      await finishRun(deps.db, run.agency_id, run.id, {
        status: "done",
        finished_at: deps.clock.now(),
        records_checked: checked,
        findings,
        error: null,
      });
      totals.checked += checked;
      totals.findings += findings.length;
    } catch (e) {
      await finishRun(deps.db, run.agency_id, run.id, {
        status: "failed",
        finished_at: deps.clock.now(),
        records_checked: 0,
        findings: [],
        error: e instanceof Error ? e.message.slice(0, 500) : "error",
      });
    }
  }
  return totals;
}

export async function getRun(db: DbOrTx, agencyId: string, id: string): Promise<ContentCheckRunRow> {
  const run = isUuid(id) ? await findRun(db, agencyId, id) : undefined;
  if (!run) throw new AppError("content_check_run_not_found");
  return run;
}

export async function recentRuns(db: DbOrTx, agencyId: string): Promise<ContentCheckRunRow[]> {
  return latestRuns(db, agencyId);
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The report as CSV (UTF-8 with BOM for Excel): one line per finding. */
export function runCsv(run: ContentCheckRunRow, recordUrl: (id: string) => string): string {
  const lines = [["索引号", "标题", "类型", "级别", "位置", "问题", "链接"].join(",")];
  const KIND: Record<string, string> = {
    personal_data: "个人信息",
    sensitive_word: "敏感词",
    leader_title: "领导职务",
  };
  for (const f of run.findings) {
    lines.push(
      [
        f.indexNo,
        f.title,
        KIND[f.kind] ?? f.kind,
        f.severity === "block" ? "须改正" : "提示",
        f.place,
        f.message,
        recordUrl(f.recordId),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `\ufeff${lines.join("\r\n")}\r\n`;
}
