/**
 * @module Personal deadline notices (到期提醒, per person): every active staff member with agency work is told, in
 * the console (通知) and by e-mail when wanted, of each item on their 工作台 whose statutory deadline is near
 * (即将到期) or past (已逾期) — unpublished records (条例第二十六条, publishing's to-do list) and applications
 * (条例第三十条至第三十三条, requests' to-do list). The due dates come from those features' own deadline computations
 * through `deps.consoleLinks.work` (the items the 工作台 lists, most urgent first, at most 8 per section; the rest
 * follow on later days as those are done); nothing is re-derived here. One notice per person, item, threshold and due date
 * (the dedupe key), so the daily job (accounts.jobs.ts) may run any number of times.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import type { WorkSection } from "../http/console-links.ts";
import { notifyStaff, type StaffNotice } from "../messaging/staff-notification.service.ts";
import { loadStaffUser } from "./session.service.ts";

/** The to-do sections that list work by its statutory deadline (due soon or overdue, as their feature decides). */
export const DEADLINE_SECTIONS: readonly string[] = ["records.due", "requests.due"];

/** The notices for one person's to-do sections on `today` (pure: same sections, same notices). */
export function deadlineNotices(sections: readonly WorkSection[], today: string): StaffNotice[] {
  const out: StaffNotice[] = [];
  for (const s of sections) {
    if (!DEADLINE_SECTIONS.includes(s.key)) continue;
    for (const item of s.items) {
      if (!item.due) continue;
      const overdue = item.overdue === true || item.due < today;
      const when = formatChineseDate(item.due);
      out.push({
        kind: overdue ? "deadline_overdue" : "deadline_due_soon",
        subject: `【${overdue ? "已逾期" : "即将到期"}】${item.title}`,
        body: `${s.label}：${item.title}，期限${when}${overdue ? "，已逾期" : ""}。${item.note ? `${item.note}。` : ""}${s.hint ?? ""}`,
        link: item.href,
        dedupeKey: `deadline:${overdue ? "overdue" : "due_soon"}:${item.href}:${item.due}`,
      });
    }
  }
  return out;
}

/**
 * Runs the notices for every active account holding a role in an agency (platform and regional roles have no agency
 * to-do list). Returns how many people were looked at, how many notices were new and how many were e-mailed.
 */
export async function runDeadlineNotices(
  deps: Pick<Deps, "db" | "config" | "logger" | "messenger" | "consoleLinks">,
  today: string,
  signal?: AbortSignal,
): Promise<{ people: number; notices: number; emailed: number }> {
  const rows = await deps.db
    .selectFrom("staff_users as u")
    .selectAll("u")
    .where("u.active", "=", true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("role_grants as g")
          .select("g.id")
          .whereRef("g.user_id", "=", "u.id")
          .where("g.scope_agency_id", "is not", null),
      ),
    )
    .orderBy("u.username")
    .execute();
  let notices = 0;
  let emailed = 0;
  for (const row of rows) {
    if (signal?.aborted) throw new Error("stopped");
    const user = await loadStaffUser(deps.db, row);
    const recipient = { id: row.id, email: row.email, emailNotifications: row.email_notifications };
    for (const notice of deadlineNotices(await deps.consoleLinks.work(user, today), today)) {
      const r = await notifyStaff(deps, [recipient], notice);
      notices += r.created.length;
      emailed += r.emailed;
    }
  }
  return { people: rows.length, notices, emailed };
}
