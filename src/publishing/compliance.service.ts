/**
 * @module Compliance view (政务公开考核) of an agency or one department on a date: on-time rate, overdue and
 * soon-due records and periodic duties, empty catalog items (空白栏目), items not updated as their rule requires
 * (长期未更新), broken internal links in published records, a 12-month trend, and a per-department breakdown.
 * Used by /admin/compliance and `gongkai compliance check`. Links are checked inside the system only (no network).
 */
import fs from "node:fs";
import path from "node:path";
import { agencyIdBySlug, findAgencyInfo, listDepartmentNames } from "../agencies/agencies.read.ts";
import { addMonthsClamped, compareDates } from "../calendar/index.ts";
import { listPublishedItems } from "../catalog/catalog-link.read.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { storedFileExists } from "./attachment.service.ts";
import { complianceRecordRows, latestRevisions, publishedBodies } from "./compliance.repository.ts";
import {
  classifyInternalPath,
  lastMonths,
  type OnTimeStats,
  onTimeStats,
  staleSince,
} from "./compliance.rules.ts";
import { listObligations } from "./obligation.repository.ts";
import { ensureObligations, obligationState } from "./obligation.service.ts";
import { isPublished, PUBLISHED } from "./published.read.ts";
import { adminRecordPath, recordsPath } from "./record.paths.ts";
import { findAttachments, findRecordStatus } from "./record.repository.ts";
import { calendarFor } from "./record.service.ts";
import { describeRuleList } from "./record-deadline.rules.ts";
import { extractLinks, internalPath } from "./record-html.ts";
import { countOverdueRereviews } from "./record-rereview.service.ts";
import { computeDue } from "./record-workflow.service.ts";

export interface ComplianceOptions {
  agencyId: string;
  asOf: string;
  departmentId?: string | null | undefined;
  /**
   * Resolves other internal paths (portal pages) without the network, e.g. via `app.inject`; returns the HTTP
   * status. Without it such links are counted as not verified.
   */
  probe?: ((path: string) => Promise<number>) | undefined;
}

export interface DueEntry {
  kind: "record" | "obligation";
  id: string;
  title: string;
  due: string;
  departmentId: string | null;
  departmentName: string | null;
  /** Working days until due (negative: overdue by). */
  workingDays: number;
  link: string;
  explanation: string;
}

export interface ItemEntry {
  stableKey: string;
  number: string | null;
  name: string;
  deadlineText: string | null;
  departmentNames: string[];
}

export interface StaleEntry extends ItemEntry {
  lastUpdate: string | null;
  behindPeriod: string;
  behindDue: string;
}

export interface BrokenLink {
  recordId: string;
  recordTitle: string;
  url: string;
  reason: string;
}

export interface TrendPoint {
  month: string;
  label: string;
  published: number;
  onTime: number;
  late: number;
  obligationsDue: number;
  obligationsMissed: number;
}

export interface DepartmentRow {
  id: string | null;
  name: string;
  published: number;
  onTimeRate: number | null;
  late: number;
  overdue: number;
  dueSoon: number;
}

export interface ComplianceReport {
  agency: { id: string; slug: string; name: string };
  department: { id: string; name: string } | null;
  asOf: string;
  window: { from: string; to: string };
  onTime: OnTimeStats;
  overdue: DueEntry[];
  dueSoon: DueEntry[];
  obligations: { total: number; met: number; attested: number; late: number; overdue: number; open: number };
  blankItems: ItemEntry[];
  /** Columns with nothing published but covered by a signed nil attestation (not counted as blank). */
  attestedBlankItems: ItemEntry[];
  staleItems: StaleEntry[];
  brokenLinks: BrokenLink[];
  unverifiedLinks: number;
  /** Internal links checked (broken + working + unverified). */
  checkedLinks: number;
  trend: TrendPoint[];
  departments: DepartmentRow[];
  /** 条例第18条: 不予公开/依申请公开 records whose periodic re-review is overdue (agency-wide). */
  overdueRereviews: number;
}

export const DUE_SOON_WORKING_DAYS = 5;

const ASSETS = path.join(import.meta.dirname, "..", "http", "assets");

export async function complianceReport(
  deps: Pick<Deps, "db" | "calendarCache" | "config">,
  options: ComplianceOptions,
): Promise<ComplianceReport> {
  const { agencyId, asOf } = options;
  const agency = await findAgencyInfo(deps.db, agencyId);
  if (!agency) throw new AppError("agency_not_found");
  const departments = await listDepartmentNames(deps.db, agencyId);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const deptId = options.departmentId ?? null;
  if (deptId && !deptName.has(deptId)) throw new AppError("department_not_found");
  const calendar = await calendarFor(deps, agency.id);
  const soonLimit = calendar.addWorkingDays(asOf, DUE_SOON_WORKING_DAYS).date;

  await ensureObligations(deps, agencyId, { asOf });
  const [items, records, obligationsAll] = await Promise.all([
    listPublishedItems(deps.db, agencyId),
    complianceRecordRows(deps.db, agencyId),
    listObligations(deps.db, { agencyId }),
  ]);
  const inDept = (d: string | null) => deptId === null || d === deptId;

  const {
    pendingDue,
    obligationEntries,
    obligations: obligationsMine,
  } = await collectDue(deps, agency, asOf, { records, obligations: obligationsAll, items, deptName }, deptId);
  const obligations = obligationsMine;
  const allDue = [...pendingDue, ...obligationEntries];
  const overdue = allDue
    .filter((e) => compareDates(e.due, asOf) < 0)
    .sort((a, b) => compareDates(a.due, b.due));
  const dueSoon = allDue
    .filter((e) => compareDates(e.due, asOf) >= 0 && compareDates(e.due, soonLimit) <= 0)
    .sort((a, b) => compareDates(a.due, b.due));

  const from = addMonthsClamped(asOf, -12);
  const myRecords = records.filter((r) => inDept(r.department_id));
  const publishedish = myRecords.filter((r) => r.status !== "draft");
  const onTime = onTimeStats(
    publishedish.map((r) => ({ publishedDate: r.published_date, late: r.late })),
    from,
    asOf,
  );

  const states = obligations.map((o) => obligationState(o, asOf));
  const obligationSummary = {
    total: obligations.length,
    met: states.filter((s) => s === "met" || s === "met_late").length,
    attested: states.filter((s) => s === "attested" || s === "attested_late").length,
    late: states.filter((s) => s === "met_late" || s === "attested_late").length,
    overdue: states.filter((s) => s === "overdue").length,
    open: states.filter((s) => s === "open").length,
  };

  // 空白栏目 and 长期未更新, over the leaf items of the published catalog (of the department, if given).
  const myItems = items.filter((i) => i.leaf && (deptId === null || i.departmentIds.includes(deptId)));
  const publishedByItem = new Map<string, string>();
  for (const r of records) {
    if (!isPublished(r.status) || !r.item_stable_key || !r.published_date) continue;
    const prev = publishedByItem.get(r.item_stable_key);
    if (!prev || r.published_date > prev) publishedByItem.set(r.item_stable_key, r.published_date);
  }
  const entry = (i: (typeof items)[number]): ItemEntry => ({
    stableKey: i.stableKey,
    number: i.number,
    name: i.name,
    deadlineText: i.deadlineText ?? describeRuleList(i.rules),
    departmentNames: i.departmentIds.map((d) => deptName.get(d) ?? "").filter(Boolean),
  });
  // A column with nothing published is blank unless a nil attestation (「本栏目暂无信息」, signed for a period of the
  // item's duty) covers it: that column is lawful, not blank (国办秘函〔2019〕19号 blank-column indicator).
  const attestedKeys = new Set(
    obligationsAll.filter((o) => o.status === "attested").map((o) => o.item_stable_key as string),
  );
  const unpublished = myItems.filter((i) => !publishedByItem.has(i.stableKey));
  const blankItems = unpublished.filter((i) => !attestedKeys.has(i.stableKey)).map(entry);
  const attestedBlankItems = unpublished.filter((i) => attestedKeys.has(i.stableKey)).map(entry);
  const staleItems: StaleEntry[] = [];
  for (const i of myItems) {
    if (!publishedByItem.has(i.stableKey)) continue;
    const own = obligationsAll.filter((o) => o.item_stable_key === i.stableKey);
    if (own.length === 0) continue;
    const attested = own.filter((o) => o.status === "attested" && o.met_on).map((o) => o.met_on as string);
    const last = [publishedByItem.get(i.stableKey)!, ...attested].sort().at(-1) ?? null;
    const behind = staleSince(
      own
        .filter((o) => compareDates(o.due_date, asOf) < 0)
        .map((o) => ({
          start: o.period_start,
          due: o.due_date,
          label: o.period_label,
          done: o.status !== "open",
        })),
    );
    if (behind)
      staleItems.push({ ...entry(i), lastUpdate: last, behindPeriod: behind.label, behindDue: behind.due });
  }

  // Internal links in published bodies.
  const {
    brokenLinks,
    unverifiedLinks,
    checked: checkedLinks,
  } = await checkInternalLinks(deps, agencyId, options.probe, inDept);

  const trend: TrendPoint[] = lastMonths(asOf, 12).map((m) => {
    const inMonth = publishedish.filter(
      (r) => r.published_date !== null && r.published_date >= m.start && r.published_date <= m.end,
    );
    const dueInMonth = obligations.filter(
      (o) => o.due_date >= m.start && o.due_date <= m.end && o.due_date < asOf,
    );
    return {
      month: m.key,
      label: m.label,
      published: inMonth.length,
      onTime: inMonth.filter((r) => r.late === false).length,
      late: inMonth.filter((r) => r.late === true).length,
      obligationsDue: dueInMonth.length,
      obligationsMissed: dueInMonth.filter((o) => {
        const s = obligationState(o, asOf);
        return s === "overdue" || s === "met_late" || s === "attested_late";
      }).length,
    };
  });

  const departmentRows: DepartmentRow[] =
    deptId !== null
      ? []
      : [...departments, { id: null as string | null, name: "未指定股室" }]
          .map((d) => {
            const recs = publishedish.filter((r) => r.department_id === d.id);
            const stats = onTimeStats(
              recs.map((r) => ({ publishedDate: r.published_date, late: r.late })),
              from,
              asOf,
            );
            return {
              id: d.id,
              name: d.name,
              published: stats.published,
              onTimeRate: stats.rate,
              late: stats.late,
              overdue: overdue.filter((e) => e.departmentId === d.id).length,
              dueSoon: dueSoon.filter((e) => e.departmentId === d.id).length,
            };
          })
          .filter((d) => d.id !== null || d.published + d.overdue + d.dueSoon > 0);

  return {
    agency: { id: agency.id, slug: agency.slug, name: agency.name },
    department: deptId ? { id: deptId, name: deptName.get(deptId) ?? "" } : null,
    asOf,
    window: { from, to: asOf },
    onTime,
    overdue,
    dueSoon,
    obligations: obligationSummary,
    blankItems,
    attestedBlankItems,
    staleItems,
    brokenLinks,
    unverifiedLinks,
    checkedLinks,
    trend,
    departments: departmentRows,
    overdueRereviews: await countOverdueRereviews(deps.db, agencyId, asOf),
  };
}

/** Due entries: unpublished records with a due date, and open obligations (of one department, if given). */
async function collectDue(
  deps: Pick<Deps, "db" | "calendarCache">,
  agency: { id: string; slug: string; regionId: string },
  asOf: string,
  data: {
    records: Awaited<ReturnType<typeof complianceRecordRows>>;
    obligations: Awaited<ReturnType<typeof listObligations>>;
    items: Awaited<ReturnType<typeof listPublishedItems>>;
    deptName: Map<string, string>;
  },
  deptId: string | null,
): Promise<{
  pendingDue: DueEntry[];
  obligationEntries: DueEntry[];
  obligations: Awaited<ReturnType<typeof listObligations>>;
}> {
  const agencyId = agency.id;
  const calendar = await calendarFor(deps, agency.id);
  const wd = (due: string) => calendar.countWorkingDays(asOf, due).count;
  const { records, deptName, items } = data;
  const inDept = (d: string | null) => deptId === null || d === deptId;
  // Records not yet published: their due date from the latest revision's content.
  const pending = records.filter((r) => r.status === "draft");
  const revisions = await latestRevisions(deps.db, agencyId, pending);
  const pendingDue: DueEntry[] = [];
  for (const rev of revisions) {
    const r = pending.find((p) => p.id === rev.record_id);
    if (!r) continue;
    const due = await computeDue(deps, agencyId, rev.content);
    if (due.due === null) continue;
    pendingDue.push({
      kind: "record",
      id: r.id,
      title: r.title,
      due: due.due,
      departmentId: r.department_id,
      departmentName: r.department_id ? (deptName.get(r.department_id) ?? null) : null,
      workingDays: wd(due.due),
      link: adminRecordPath(r.id, agency.slug),
      explanation: due.explanation,
    });
  }
  const obligations = data.obligations.filter((o) => inDept(o.department_id));
  const itemName = new Map(items.map((i) => [i.stableKey, i]));
  const obligationEntries: DueEntry[] = obligations
    .filter((o) => o.status === "open")
    .map((o) => ({
      kind: "obligation" as const,
      id: o.id,
      title: `${itemName.get(o.item_stable_key)?.name ?? o.item_stable_key}：${o.period_label}更新`,
      due: o.due_date,
      departmentId: o.department_id,
      departmentName: o.department_id ? (deptName.get(o.department_id) ?? null) : null,
      workingDays: wd(o.due_date),
      link: recordsPath(agency.slug, `/obligations#o-${o.id}`),
      explanation: o.due_explanation,
    }));
  return { pendingDue: pendingDue.filter((e) => inDept(e.departmentId)), obligationEntries, obligations };
}

/** Every due entry of an agency on a date (for notifications). */
export async function dueEntries(
  deps: Pick<Deps, "db" | "calendarCache">,
  agencyId: string,
  asOf: string,
): Promise<DueEntry[]> {
  const agency = await findAgencyInfo(deps.db, agencyId);
  if (!agency) throw new AppError("agency_not_found");
  await ensureObligations(deps, agencyId, { asOf });
  const [items, records, obligations, departments] = await Promise.all([
    listPublishedItems(deps.db, agencyId),
    complianceRecordRows(deps.db, agencyId),
    listObligations(deps.db, { agencyId }),
    listDepartmentNames(deps.db, agencyId),
  ]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const r = await collectDue(deps, agency, asOf, { records, obligations, items, deptName }, null);
  return [...r.pendingDue, ...r.obligationEntries];
}

/** null = fine; "unverified" = no way to check; otherwise the reason (Chinese). */
async function checkInternal(
  deps: Pick<Deps, "db" | "config">,
  p: string,
  probe: ComplianceOptions["probe"],
  cache: Map<string, number>,
): Promise<string | null> {
  const target = classifyInternalPath(p);
  if (target.kind === "record") {
    const r = await findRecordBySlug(deps.db, target.slug, target.recordId);
    if (!r) return "链接的信息不存在";
    if (!isPublished(r.status)) return r.status === "withdrawn" ? "链接的信息已撤回" : "链接的信息尚未发布";
    return null;
  }
  if (target.kind === "attachment") {
    const r = await findRecordBySlug(deps.db, target.slug, target.recordId);
    if (r?.status !== PUBLISHED) return "链接的附件所属信息不存在或未发布";
    if (!r.attachment_ids.includes(target.attachmentId)) return "链接的附件不属于该信息的当前版本";
    const [a] = await findAttachments(deps.db, r.agency_id, [target.attachmentId]);
    if (!a || !storedFileExists(deps.config, r.agency_id, a.sha256)) return "附件文件缺失";
    return null;
  }
  if (target.kind === "static") {
    const file = path.normalize(path.join(ASSETS, target.file));
    if (!file.startsWith(ASSETS) || !fs.existsSync(file)) return "链接的静态文件不存在";
    return null;
  }
  if (!probe) return "unverified";
  let status = cache.get(target.path);
  if (status === undefined) {
    status = await probe(target.path);
    cache.set(target.path, status);
  }
  if (status === 404 || status === 410) return `页面不存在（HTTP ${status}）`;
  if (status >= 500) return `页面出错（HTTP ${status}）`;
  return null;
}

/** Internal links in the agency's published bodies (of the departments `keep` accepts) that lead nowhere. */
export async function checkInternalLinks(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  probe: ComplianceOptions["probe"],
  keep: (departmentId: string | null) => boolean = () => true,
): Promise<{ brokenLinks: BrokenLink[]; unverifiedLinks: number; checked: number }> {
  const brokenLinks: BrokenLink[] = [];
  let unverifiedLinks = 0;
  let checked = 0;
  const bodies = (await publishedBodies(deps.db, agencyId)).filter((b) => keep(b.department_id));
  const probed = new Map<string, number>();
  for (const b of bodies) {
    for (const link of extractLinks(b.body_html)) {
      const p = internalPath(link.url, deps.config.publicUrl);
      if (p === null) continue;
      checked++;
      const reason = await checkInternal(deps, p, probe, probed);
      if (reason === "unverified") unverifiedLinks++;
      else if (reason !== null)
        brokenLinks.push({ recordId: b.id, recordTitle: b.title, url: link.url, reason });
    }
  }
  return { brokenLinks, unverifiedLinks, checked };
}

/** External (http/https, other hosts) links of the agency's published bodies, with the records they appear in. */
export async function externalLinksOf(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
): Promise<{ recordId: string; recordTitle: string; url: string }[]> {
  const out: { recordId: string; recordTitle: string; url: string }[] = [];
  for (const b of await publishedBodies(deps.db, agencyId)) {
    for (const link of extractLinks(b.body_html)) {
      const u = link.url.trim();
      if (!/^https?:\/\//i.test(u) || internalPath(u, deps.config.publicUrl) !== null) continue;
      out.push({ recordId: b.id, recordTitle: b.title, url: u });
    }
  }
  return out;
}

export interface AgencyComplianceRow {
  agency: { id: string; slug: string; name: string };
  onTimeRate: number | null;
  published: number;
  late: number;
  overdue: number;
  dueSoon: number;
  blank: number;
  stale: number;
  brokenLinks: number;
}

/** One row per agency (supervisors' overview of their region). */
export async function complianceOverview(
  deps: Pick<Deps, "db" | "calendarCache" | "config">,
  agencyIds: string[],
  asOf: string,
): Promise<AgencyComplianceRow[]> {
  const rows: AgencyComplianceRow[] = [];
  for (const id of agencyIds) {
    const r = await complianceReport(deps, { agencyId: id, asOf });
    rows.push({
      agency: r.agency,
      onTimeRate: r.onTime.rate,
      published: r.onTime.published,
      late: r.onTime.late,
      overdue: r.overdue.length,
      dueSoon: r.dueSoon.length,
      blank: r.blankItems.length,
      stale: r.staleItems.length,
      brokenLinks: r.brokenLinks.length,
    });
  }
  return rows.sort((a, b) => a.agency.name.localeCompare(b.agency.name, "zh-CN"));
}

/** A record by its agency's slug and its id (links across agencies). */
async function findRecordBySlug(db: Deps["db"], slug: string, recordId: string) {
  const agencyId = await agencyIdBySlug(db, slug);
  return agencyId ? findRecordStatus(db, agencyId, recordId) : undefined;
}
