/**
 * @module Demo records (政府信息) for the four seed agencies over the 24 months before `deps.clock.today()`, built
 * through the real services (workflow steps, 索引号, deadlines, obligations, audit) from the plan in
 * publishing-plan.seed.ts: policy documents and their interpretations, 规范性文件 (one repealed and replaced through a
 * revision), licensing/penalty results, periodic reports (monthly/quarterly/yearly — some on time, some late, some
 * periods missing, some closed by a signed "本期无新增信息" attestation), a withdrawn record and a page linking to it (a
 * broken link), channel log entries, and a few drafts still in the workflow (overdue or due soon).
 *
 * The demo agencies have no 统一社会信用代码: their 索引号 use a clearly marked demo code (`DEMO-<SLUG>`,
 * publishing_settings.index_code_is_demo = true). Idempotent: an agency that already has records is skipped.
 */

import { type StaffActor, type StaffUser, staffActor } from "../accounts/policy.ts";
import { addMonthsClamped, compareDates } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { fixedClock } from "../shared/clock.ts";
import { attestObligation, ensureObligations, listAgencyObligations } from "./obligation.service.ts";
import {
  MONTHLY_MONTHS,
  type Planned,
  PROFILES,
  type Profile,
  paragraphs,
  plan,
} from "./publishing-plan.seed.ts";
import { updatePublishingSettings } from "./publishing-settings.service.ts";
import { type ContentInput, calendarFor } from "./record.service.ts";
import { logChannel } from "./record-attachment.service.ts";
import { recordDue } from "./record-deadline.rules.ts";
import { createRecord, reviseRecord, updateDraft } from "./record-draft.service.ts";
import { agencyRefs, catalogItemsForForm, listRecordsForStaff } from "./record-query.service.ts";
import { recordRereview } from "./record-rereview.service.ts";
import { advanceRecord, withdrawRecord } from "./record-workflow.service.ts";

export interface RecordSeedResult {
  created: Record<string, number>;
  skipped: string[];
}

const CHECKLIST = {
  noStateSecret: true,
  noWorkSecret: true,
  noPersonalPrivacy: true,
  noTradeSecret: true,
  noThreeSecurityRisk: true,
  consistentWithPolicy: true,
};

/** The demo actor: all workflow roles in one agency; not a stored account (created_by etc. stay null). */
function demoActor(agencyId: string): StaffActor {
  const user: StaffUser = {
    id: "",
    username: "demo-seed",
    displayName: "演示数据",
    agencyId,
    grants: (["agency_admin", "editor", "reviewer", "approver"] as const).map((role) => ({
      role,
      agencyId,
      departmentId: null,
      regionId: null,
    })),
    supervisedRegionIds: [],
  };
  return staffActor(user, null);
}

async function publishPlanned(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  itemIds: Map<string, string>,
  done: Map<string, string>,
  pl: Planned,
  publishOn: string,
): Promise<string | undefined> {
  const itemId = itemIds.get(pl.item);
  if (!itemId) return undefined;
  const at = (d: string) => ({ ...deps, clock: fixedClock(`${d}T10:00:00+08:00`) });
  const policy = pl.interprets ? done.get(pl.interprets) : undefined;
  const d = at(publishOn);
  const { id } = await createRecord(at(pl.formed), actor, agencyId, {
    ...pl.input,
    itemId,
    formedDate: pl.formed,
    ...(policy ? { interpretsRecordIds: [policy] } : {}),
  });
  if (pl.stopAt === "draft") return id;
  await advanceRecord(d, actor, agencyId, id, "submit");
  if (pl.stopAt === "submitted") return id;
  await advanceRecord(d, actor, agencyId, id, "review", { checklist: CHECKLIST });
  await advanceRecord(d, actor, agencyId, id, "approve");
  await advanceRecord(d, actor, agencyId, id, "publish");
  if (pl.channel) {
    await logChannel(d, actor, agencyId, id, {
      channel: pl.channel,
      publishedOn: publishOn,
      evidence: `同步推送，截图存档编号 WX-${publishOn.replaceAll("-", "")}`,
    });
  }
  return id;
}

async function seedAgency(deps: Deps, profile: Profile): Promise<number | undefined> {
  const agency = (await agencyRefs(deps.db)).find((a) => a.slug === profile.slug);
  if (!agency) return undefined;
  const existing = await listRecordsForStaff(deps.db, { agencyId: agency.id, page: 1, pageSize: 1 });
  if (existing.total > 0) return undefined;
  const items = await catalogItemsForForm(deps.db, agency.id);
  if (items.length === 0) return undefined;
  const itemIds = new Map(items.map((i) => [i.stableKey.slice(profile.slug.length + 1), i.id]));
  const byKey = new Map(items.map((i) => [i.stableKey.slice(profile.slug.length + 1), i]));
  const actor = demoActor(agency.id);
  const today = deps.clock.today();
  await updatePublishingSettings(deps, null, agency.id, {
    indexTemplate: profile.template,
    indexCode: `DEMO-${profile.slug.toUpperCase()}`,
    indexCodeIsDemo: true,
    notifyEmails: {},
  });
  const calendar = await calendarFor(deps, agency.id);
  const done = new Map<string, string>();
  // Publication dates first (an interpretation follows its policy), then create in publication order so 索引号
  // serials follow the calendar.
  const planned = plan(profile, agency.name, today);
  const publishDate = new Map<string, string>();
  for (const pl of planned) {
    if (pl.key === "draft-soon") pl.formed = calendar.addWorkingDays(today, -17).date; // due in 3 working days
    const base = pl.interprets ? (publishDate.get(pl.interprets) ?? pl.formed) : pl.formed;
    let on =
      pl.lag > 0 ? calendar.addWorkingDays(base, pl.lag).date : calendar.nextWorkingDay(base, true).date;
    const item = byKey.get(pl.item);
    if (!pl.late && item) {
      const due = recordDue(calendar, {
        kind: pl.input.kind ?? "document",
        disclosure: "主动公开",
        formedDate: pl.formed,
        changedDate: null,
        linkedPublicationDate: pl.interprets ? (publishDate.get(pl.interprets) ?? null) : null,
        sources: { itemRules: item.rules, elementRules: [], elementLabel: null },
      }).due;
      if (due && compareDates(on, due) > 0) on = due;
    }
    if (compareDates(on, today) > 0) on = today;
    publishDate.set(pl.key, on);
  }
  planned.sort(
    (a, b) =>
      compareDates(publishDate.get(a.key)!, publishDate.get(b.key)!) ||
      (a.interprets ? 1 : 0) - (b.interprets ? 1 : 0),
  );
  let count = 0;
  for (const pl of planned) {
    const id = await publishPlanned(deps, actor, agency.id, itemIds, done, pl, publishDate.get(pl.key)!);
    if (id) {
      done.set(pl.key, id);
      count++;
    }
  }

  // The first 规范性文件 is repealed and replaced by its revision (a new revision of the old record).
  const oldNorm = done.get("normative-0");
  const newNorm = done.get("normative-2");
  if (oldNorm && newNorm) {
    const replaced = await listRecordsForStaff(deps.db, { agencyId: agency.id, page: 1, pageSize: 500 });
    const repl = replaced.rows.find((r) => r.id === newNorm);
    const when = repl?.published_date ?? today;
    const d = { ...deps, clock: fixedClock(`${when}T15:00:00+08:00`) };
    await reviseRecord(d, actor, agency.id, oldNorm);
    await updateDraft(
      d,
      actor,
      agency.id,
      oldNorm,
      { validity: "废止", repealDate: repl?.effective_date ?? when, replacedByRecordId: newNorm },
      { changeNote: "新办法印发，本文件同时废止" },
    );
    for (const step of ["submit", "review", "approve", "publish"] as const)
      await advanceRecord(
        d,
        actor,
        agency.id,
        oldNorm,
        step,
        step === "review" ? { checklist: CHECKLIST } : {},
      );
  }

  // A record withdrawn after publication, and a later compilation page that still links to it (a broken link).
  const toWithdraw = done.get("policy-2");
  if (toWithdraw) {
    const row = (
      await listRecordsForStaff(deps.db, { agencyId: agency.id, page: 1, pageSize: 500 })
    ).rows.find((r) => r.id === toWithdraw);
    const when = addMonthsClamped(row?.published_date ?? today, 1);
    if (compareDates(when, today) < 0) {
      await withdrawRecord(
        { ...deps, clock: fixedClock(`${when}T10:00:00+08:00`) },
        actor,
        agency.id,
        toWithdraw,
        "附件版本有误，已撤回并将重新发布",
      );
      const policyItem = profile.items.policy;
      const compiled = addMonthsClamped(when, 1);
      if (policyItem && compareDates(compiled, today) < 0) {
        const live = [...done.entries()]
          .filter(([k]) => k.startsWith("policy-") && k !== "policy-2")
          .slice(0, 3);
        await publishPlanned(
          deps,
          actor,
          agency.id,
          itemIds,
          done,
          {
            key: "compilation",
            item: policyItem,
            formed: compiled,
            lag: 0,
            input: {
              title: "就业创业和社会保障政策文件汇编（目录）",
              genre: "其他",
              topic: "劳动、人事、监察",
              bodyHtml: paragraphs(
                "为方便群众查阅，现将近期印发的政策文件汇编如下：",
                `<ul>${[...live.map(([, id]) => id), toWithdraw]
                  .map(
                    (id, j) =>
                      `<li><a href="/agencies/${profile.slug}/records/${id}">政策文件（${j + 1}）</a></li>`,
                  )
                  .join("")}</ul>`,
              ),
            },
          },
          calendar.nextWorkingDay(compiled, true).date,
        );
        count++;
      }
    }
  }

  // Periodic duties over the 24 months; some missing periods are closed by a signed attestation.
  await ensureObligations(deps, agency.id, { asOf: today, from: addMonthsClamped(today, -MONTHLY_MONTHS) });
  const open = (await listAgencyObligations(deps.db, { agencyId: agency.id, status: "open" })).filter(
    (o) => compareDates(o.due_date, today) < 0,
  );
  for (const [i, o] of open.entries()) {
    if (i % 2 === 1) continue; // every other missing period stays overdue
    const signOn = calendar.addWorkingDays(o.due_date, -2).date;
    await attestObligation(
      { ...deps, clock: fixedClock(`${signOn}T16:00:00+08:00`) },
      { ...actor, user: { ...actor.user, displayName: "演示审签人" } },
      agency.id,
      o.id,
      o.period_unit === "fixedYearly"
        ? "本年度公开指南内容无变化，经核对无需修订"
        : `${o.period_label}该事项无新增信息（本期未发生相关业务）`,
    );
  }

  // Withheld information for the 条例第18条 re-review queue: one never reviewed and overdue, one reviewed
  // (維持不予公开) and scheduled, one 依申请公开 formed recently.
  const withheld: { key: string; formed: string; input: ContentInput; reviewedOn?: string }[] = [
    {
      key: "withheld-overdue",
      formed: addMonthsClamped(today, -14),
      input: {
        title: "劳动保障监察举报线索核查工作底稿",
        disclosure: "不予公开",
        nonDisclosureReason: "过程性信息（条例第十六条第二款），且涉及举报人个人信息（第十五条）",
        genre: "其他",
      },
    },
    {
      key: "withheld-reviewed",
      formed: addMonthsClamped(today, -20),
      reviewedOn: addMonthsClamped(today, -7),
      input: {
        title: "社会保险基金专项审计问题整改内部研究意见",
        disclosure: "不予公开",
        nonDisclosureReason: "内部事务信息（条例第十六条第一款）",
        genre: "其他",
      },
    },
    {
      key: "on-request",
      formed: addMonthsClamped(today, -3),
      input: {
        title: "人力资源服务机构行政许可申请材料（汇总）",
        disclosure: "依申请公开",
        nonDisclosureReason: "",
        genre: "其他",
      },
    },
  ];
  for (const w of withheld) {
    const { id } = await createRecord(
      { ...deps, clock: fixedClock(`${w.formed}T10:00:00+08:00`) },
      actor,
      agency.id,
      { ...w.input, formedDate: w.formed },
    );
    if (w.reviewedOn)
      await recordRereview(
        deps,
        { ...actor, user: { ...actor.user, displayName: "演示审核人" } },
        agency.id,
        id,
        { conclusion: "维持不予公开", reason: "整改尚未完成，公开后可能影响正常工作，情势未发生变化" },
        w.reviewedOn,
      );
  }
  return count;
}

/** Seeds the demo records of every seed agency that has a published catalog and no records yet. */
export async function seedDemoRecords(deps: Deps): Promise<RecordSeedResult> {
  const result: RecordSeedResult = { created: {}, skipped: [] };
  // Agencies in parallel (independent rows; the audit chain serialises only its own appends).
  const counts = await Promise.all(PROFILES.map((profile) => seedAgency(deps, profile)));
  PROFILES.forEach((profile, i) => {
    const n = counts[i];
    if (n === undefined) result.skipped.push(profile.slug);
    else result.created[profile.slug] = n;
  });
  return result;
}
