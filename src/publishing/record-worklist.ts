/**
 * @module What publishing puts on a person's 工作台 (to-do list): records waiting for my review, signature or
 * publication, drafts sent back to me, my submissions I may still take back (收回), and unpublished records whose
 * statutory deadline (条例第26条) is near or past. Registered with `deps.consoleLinks.addWorkQueue`.
 */
import { type Action, agencyScope, can, type StaffUser } from "../accounts/policy.ts";
import { type Agency, listAgenciesByName } from "../agencies/agency.service.ts";
import { type CalendarReader, getCalendarForAgency } from "../calendar/calendar.service.ts";
import { addDays, type WorkCalendar } from "../calendar/index.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import type { WorkItem, WorkSection } from "../http/console-links.ts";
import { adminRecordListPath, adminRecordPath } from "./record.paths.ts";
import type { RecordContent, RevisionStatus } from "./record.table.ts";
import { computeDue } from "./record-workflow.service.ts";

/** Items listed per section (the count covers them all). */
const LIMIT = 8;
/** Unpublished records due within this many calendar days are listed as 即将到期. */
const DUE_SOON_DAYS = 5;
/** Rows read per query (a to-do list, not a report). */
const MAX_ROWS = 500;
/** Drafts measured for their deadline (oldest formation date first). */
const DUE_CANDIDATES = 50;

interface Row {
  id: string;
  agency_id: string;
  department_id: string | null;
  title: string;
  due_date: string | null;
  workflow_status: RevisionStatus;
  submitted_by: string | null;
  returned_reason: string | null;
  returned_at: Date | null;
  created_by: string | null;
}

function baseQuery(db: DbOrTx, agencyIds: readonly string[]) {
  return db
    .selectFrom("records as r")
    .innerJoin("record_revisions as v", (j) =>
      j
        .onRef("v.agency_id", "=", "r.agency_id")
        .onRef("v.record_id", "=", "r.id")
        .onRef("v.revision_no", "=", "r.latest_revision_no"),
    )
    .select([
      "r.id",
      "r.agency_id",
      "r.department_id",
      "v.content",
      "r.title",
      "r.due_date",
      "r.workflow_status",
      "v.submitted_by",
      "v.returned_reason",
      "v.returned_at",
      "v.created_by",
    ])
    .where("r.agency_id", "in", agencyIds);
}

type RawRow = Omit<Row, "title"> & { title: string; content: RecordContent };

function toRow(r: RawRow): Row {
  // The latest revision's title (a draft may have renamed the record).
  return { ...r, title: r.content?.title || r.title };
}

/** Records in a workflow step, and drafts sent back. */
async function workflowRows(db: DbOrTx, agencyIds: readonly string[]): Promise<Row[]> {
  if (agencyIds.length === 0) return [];
  const rows = await baseQuery(db, agencyIds)
    .where((eb) =>
      eb.or([
        eb("r.workflow_status", "in", ["submitted", "reviewed", "approved"]),
        eb.and([eb("r.workflow_status", "=", "draft"), eb("v.returned_at", "is not", null)]),
      ]),
    )
    .orderBy("r.updated_at", "asc")
    .limit(MAX_ROWS)
    .execute();
  return rows.map((r) => toRow(r as RawRow));
}

/**
 * Never-published records this user may act on whose deadline (from the item's rule and the formation date, as at
 * publication) falls by `dueBy`. A draft has no stored due date, so the oldest-formed drafts (the most urgent) the
 * user may act on are measured, each agency's calendar loaded once.
 */
async function dueRows(
  reader: CalendarReader,
  agencyIds: readonly string[],
  dueBy: string,
  mayAct: (r: Row) => boolean,
): Promise<Row[]> {
  const { db } = reader;
  if (agencyIds.length === 0) return [];
  const rows = (
    await baseQuery(db, agencyIds)
      .where("r.status", "=", "draft")
      .orderBy("r.formed_date", "asc")
      .limit(MAX_ROWS)
      .execute()
  )
    .map((raw) => ({ row: toRow(raw as RawRow), content: (raw as RawRow).content }))
    .filter(({ row }) => mayAct(row))
    .slice(0, DUE_CANDIDATES);
  const calendars = new Map<string, Promise<WorkCalendar>>();
  const calendarOf = (agencyId: string) => {
    if (!calendars.has(agencyId)) calendars.set(agencyId, getCalendarForAgency(reader, agencyId));
    return calendars.get(agencyId) as Promise<WorkCalendar>;
  };
  const out: Row[] = [];
  for (const { row, content } of rows) {
    const due = (await computeDue(reader, row.agency_id, content, await calendarOf(row.agency_id))).due;
    if (due && due <= dueBy) out.push({ ...row, due_date: due });
  }
  return out.sort((a, b) => ((a.due_date ?? "") < (b.due_date ?? "") ? -1 : 1));
}

/** The publishing sections of this user's to-do list. */
export async function publishingWork(
  reader: CalendarReader,
  user: StaffUser,
  today: string,
): Promise<WorkSection[]> {
  const { db } = reader;
  const actions: Action[] = ["record.review", "record.approve", "record.publish", "record.draft"];
  const scopes = actions.map((a) => agencyScope(user, a));
  if (scopes.some((s) => s.all)) return []; // platform roles have no agency work
  const agencies = new Map<string, Agency>();
  const wanted = new Set(scopes.flatMap((s) => (s.all ? [] : s.agencyIds)));
  if (wanted.size === 0) return [];
  for (const a of await listAgenciesByName(db)) if (wanted.has(a.id)) agencies.set(a.id, a);
  const ids = [...agencies.keys()];
  const dueBy = addDays(today, DUE_SOON_DAYS);
  const may = (r: Row, action: Action) =>
    can(user, action, { agencyId: r.agency_id, departmentId: r.department_id });
  const [rows, due] = await Promise.all([
    workflowRows(db, ids),
    dueRows(reader, ids, dueBy, (r) => may(r, "record.draft") || may(r, "record.publish")),
  ]);
  const slug = (r: Row) => agencies.get(r.agency_id)?.slug ?? "";
  const multi = agencies.size > 1;
  const item = (r: Row, note?: string): WorkItem => ({
    title: r.title || "（无标题）",
    href: adminRecordPath(r.id, slug(r)),
    note:
      [multi ? agencies.get(r.agency_id)?.shortName : undefined, note].filter(Boolean).join(" · ") ||
      undefined,
    due: r.due_date,
    overdue: r.due_date !== null && r.due_date < today,
  });
  const ownAgency = user.agencyId ? agencies.get(user.agencyId)?.slug : [...agencies.values()][0]?.slug;
  const section = (
    key: string,
    label: string,
    list: Row[],
    hint: string,
    note?: (r: Row) => string | undefined,
    more?: string,
  ): WorkSection => ({
    key,
    label,
    count: list.length,
    items: list.slice(0, LIMIT).map((r) => item(r, note?.(r))),
    hint,
    moreHref: more && ownAgency ? adminRecordListPath(ownAgency, { workflow: more }) : undefined,
  });
  const mine = (r: Row) =>
    r.submitted_by === user.id || (r.submitted_by === null && r.created_by === user.id);
  return [
    section(
      "records.returned",
      "退回给我修改",
      rows.filter(
        (r) => r.workflow_status === "draft" && r.returned_at !== null && mine(r) && may(r, "record.draft"),
      ),
      "按退回理由修改后重新提交审核。",
      (r) => (r.returned_reason ? `退回理由：${r.returned_reason}` : undefined),
    ),
    section(
      "records.review",
      "待我审核",
      rows.filter((r) => r.workflow_status === "submitted" && may(r, "record.review")),
      "逐项确认保密审查和个人信息核查后审核通过，或写明理由退回。",
      undefined,
      "submitted",
    ),
    section(
      "records.approve",
      "待我审签",
      rows.filter((r) => r.workflow_status === "reviewed" && may(r, "record.approve")),
      "审签通过后即可发布。",
      undefined,
      "reviewed",
    ),
    section(
      "records.publish",
      "待我发布",
      rows.filter((r) => r.workflow_status === "approved" && may(r, "record.publish")),
      "已审签的信息，请在公开时限内发布。",
      undefined,
      "approved",
    ),
    {
      ...section(
        "records.submitted",
        "我已提交、等待审核",
        rows.filter((r) => r.workflow_status === "submitted" && r.submitted_by === user.id),
        "审核开始前，您可以收回修改。",
      ),
      waiting: true,
    },
    section(
      "records.due",
      "即将到期或已逾期、尚未发布",
      due,
      "按《条例》第二十六条，应在公开时限内发布；逾期将在考核中扣分。",
    ),
  ];
}

/** Registered by registerFeatures: publishing's part of every person's 工作台. */
export function registerPublishingWork(deps: Pick<Deps, "db" | "calendarCache" | "consoleLinks">): void {
  deps.consoleLinks.addWorkQueue("publishing", (user, today) => publishingWork(deps, user, today));
  deps.consoleLinks.countOn("/admin/agencies/:agency/records", ["records."]);
}
