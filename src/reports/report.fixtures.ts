/**
 * @module Test fixtures for the annual-report service and routes: an agency with applications across 2023–2026
 * (built through the applications feature's service, with carry-over both ways), review/litigation cases, fees,
 * and published records of every table 二 category (built through the publishing feature's service). The
 * expected cells are written out by hand below. Used by *.test.ts files only.
 */
import { createAgency, createUser, fillGuideContact, type TestUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import type { Db } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { publishOn, useDemoIndexCode } from "../publishing/publishing.fixtures.ts";
import { withdrawRecord } from "../publishing/record-workflow.service.ts";
import type { ApplicationInput } from "../requests/applicant.rules.ts";
import { issueFeeNotice, lapseFee, recordPayment } from "../requests/fees.service.ts";
import type { InfoRequest } from "../requests/info-request.ts";
import { registerApplication, submitOnlineApplication } from "../requests/intake.service.ts";
import { replyToInfoRequest } from "../requests/reply.service.ts";
import { recordCase } from "../requests/review-case.service.ts";
import { fixedClock } from "../shared/clock.ts";
import type { ApplicantTypeCode, ApplicationRowCode } from "./annual-report.format.ts";

const PERSON_ID = "11010519491231002X";
const CREDIT_CODE = "91350100M000100Y43";

export interface ReportFixture {
  agency: Agency;
  /** agency_admin + reviewer + approver + request_handler of the agency. */
  boss: TestUser;
}

/** Non-zero cells of table 三 (row → applicant type → count); every other cell is 0 and totals follow. */
export type SparseTable = Partial<Record<ApplicationRowCode, Partial<Record<ApplicantTypeCode, number>>>>;

/**
 * 2025 (hand-counted from the applications below):
 * 一 received: 自然人 F1 F2 F3 J M = 5; 商业企业 I; 社会公益组织 G; 其他 H.
 * 二 carried over (open on 2024-12-31): 商业企业 B; 科研机构 C; 自然人 D.
 * 三 concluded in 2025: 予以公开 F1 F2 J (自然人); 部分公开 B; 国家秘密 C; 第三方 I; 重复申请 F3; 逾期未缴费 G; 其他 M.
 * 四 open on 2025-12-31: D (自然人), H (其他, received 2025-12-31, answered 2026).
 */
export const EXPECTED_2025: SparseTable = {
  received: { natural_person: 5, commercial: 1, public_interest: 1, other_org: 1 },
  carried_over: { natural_person: 1, commercial: 1, research: 1 },
  granted: { natural_person: 3 },
  partially_granted: { commercial: 1 },
  withheld_state_secret: { research: 1 },
  withheld_third_party: { commercial: 1 },
  not_processed_repeated: { natural_person: 1 },
  other_fee_unpaid: { public_interest: 1 },
  other_other: { natural_person: 1 },
  concluded_total: { natural_person: 5, commercial: 2, research: 1, public_interest: 1 },
  carried_forward: { natural_person: 1, other_org: 1 },
};

/**
 * 2024: received A D (自然人), B (商业企业), C (科研机构), E (法律服务机构); carried over Z (自然人, received
 * 2023-12-20); concluded Z and A (予以公开), E (本机关不掌握, on 2024-12-31); carried forward B C D.
 */
export const EXPECTED_2024: SparseTable = {
  received: { natural_person: 2, commercial: 1, research: 1, legal_service: 1 },
  carried_over: { natural_person: 1 },
  granted: { natural_person: 2 },
  unavailable_not_held: { legal_service: 1 },
  concluded_total: { natural_person: 2, legal_service: 1 },
  carried_forward: { natural_person: 1, commercial: 1, research: 1 },
};

function applicant(type: ApplicantTypeCode, title: string): ApplicationInput {
  const person = type === "natural_person";
  return {
    applicantType: type,
    name: person ? "张三" : "某某科技有限公司",
    idType: person ? "resident_id" : "credit_code",
    idNumber: person ? PERSON_ID : CREDIT_CODE,
    phone: "13812345678",
    email: "applicant@example.com",
    address: "某市某路1号",
    postalCode: "",
    infoTitle: title,
    infoDocNumber: "",
    infoDescription: "",
    form: "electronic",
    delivery: "email",
  };
}

export async function createReportFixture(
  db: Db,
  options: { name?: string; regionId?: string } = {},
): Promise<ReportFixture> {
  const created = await createAgency(db, {
    name: options.name ?? "测试县人力资源和社会保障局",
    ...(options.regionId ? { regionId: options.regionId } : {}),
  });
  const agency = await getAgencyBySlug(db, created.slug);
  await fillGuideContact(db, agency.id); // notices print the guide's contact details
  const boss = await createUser(db, {
    roles: ["agency_admin", "reviewer", "approver", "request_handler"],
    agencyId: agency.id,
    displayName: "王主任",
  });
  return { agency, boss };
}

/** Builds the applications, cases and fees of EXPECTED_2024 / EXPECTED_2025 through the applications service. */
export async function buildApplications(db: Db, f: ReportFixture): Promise<void> {
  const actor = staffActor(f.boss);
  const depsAt = new Map<string, Deps>();
  const at = async (day: string): Promise<Deps> => {
    let d = depsAt.get(day);
    if (!d) {
      d = await createTestDeps({ db, clock: fixedClock(day) });
      depsAt.set(day, d);
    }
    return d;
  };
  const receive = async (day: string, type: ApplicantTypeCode, title: string): Promise<InfoRequest> =>
    (
      await registerApplication(await at(day), f.agency, actor, {
        ...applicant(type, title),
        channel: "in_person",
        submittedOn: day,
      })
    ).request;
  const reply = async (
    r: InfoRequest,
    day: string,
    replyType: string,
    outcome: string,
    extra: { reasons?: string; legalBasis?: string } = {},
  ): Promise<InfoRequest> =>
    replyToInfoRequest(await at(day), f.agency, r.id, r.version, actor, {
      replyType,
      outcome,
      repliedOn: day,
      ...extra,
    });

  // 2023 → 2024
  const z = await receive("2023-12-20", "natural_person", "2023年度就业补助资金使用情况");
  await reply(z, "2024-01-10", "art36_2", "granted");
  // 2024
  const a = await receive("2024-03-01", "natural_person", "2024年第一季度城镇新增就业情况");
  await reply(a, "2024-03-20", "art36_2", "granted");
  const b = await receive("2024-12-20", "commercial", "某企业社会保险费缴纳记录");
  const c = await receive("2024-12-30", "research", "劳动保障监察执法统计");
  await receive("2024-12-31", "natural_person", "某工程项目农民工工资支付情况"); // D: still open
  const e = await receive("2024-06-01", "legal_service", "某仲裁案件卷宗");
  await reply(e, "2024-12-31", "art36_4", "unavailable_not_held");
  // 2025: B and C carried over and answered
  await reply(b, "2025-01-15", "art37", "partially_granted", {
    reasons: "部分内容涉及第三方商业秘密，已作区分处理",
  });
  await reply(c, "2025-02-01", "art36_3", "withheld_state_secret", { reasons: "经保密审查属于国家秘密" });
  const f1 = await receive("2025-01-02", "natural_person", "2025年度职业技能培训补贴标准");
  const f1Replied = await reply(f1, "2025-01-20", "art36_2", "granted");
  const f2 = await receive("2025-01-03", "natural_person", "2025年度公益性岗位安置情况");
  await reply(f2, "2025-01-21", "art36_2", "granted");
  const f3 = await receive("2025-02-03", "natural_person", "2025年度公益性岗位安置情况（再次申请）");
  await reply(f3, "2025-02-10", "art36_6", "not_processed_repeated");
  // G: fee notice not paid → deemed withdrawn (（六）2).
  const g = await receive("2025-05-05", "public_interest", "2024年度全部工伤认定决定书");
  const gFee = await issueFeeNotice(await at("2025-05-12"), f.agency, g.id, g.version, actor, {
    basis: "per_page",
    units: 40,
    servedOn: "2025-05-12",
  });
  await lapseFee(await at("2025-07-01"), f.agency, g.id, gFee.version, actor);
  // J: fee notice paid, then answered.
  const j = await receive("2025-07-01", "natural_person", "2024年度劳动仲裁案件统计表");
  const jFee = await issueFeeNotice(await at("2025-07-02"), f.agency, j.id, j.version, actor, {
    basis: "per_page",
    units: 35,
    servedOn: "2025-07-02",
  });
  const jPaid = await recordPayment(await at("2025-07-03"), f.agency, j.id, jFee.version, actor, {
    paidOn: "2025-07-03",
  });
  await reply(jPaid, "2025-08-01", "art36_2", "granted");
  const m = await receive("2025-09-01", "natural_person", "某项目审批材料");
  await reply(m, "2025-09-05", "other", "other_other", {
    legalBasis: "《中华人民共和国政府信息公开条例》",
    reasons: "申请人撤回申请",
  });
  const i = await receive("2025-11-11", "commercial", "某企业环境评价材料");
  await reply(i, "2025-12-31", "art36_3", "withheld_third_party", {
    reasons: "涉及第三方商业秘密，第三方不同意公开",
  });
  const h = await receive("2025-12-31", "other_org", "2025年度社会保险基金收支情况");
  await reply(h, "2026-01-05", "art36_2", "granted");
  await submitOnlineApplication(
    await at("2025-12-30"),
    f.agency,
    applicant("natural_person", "尚未确认收到的申请"),
  );
  await receive("2026-01-03", "research", "2026年度就业形势分析"); // L: next year

  // Table 四 (recorded on 2026-03-16 so later conclusions can be entered).
  const now = await at("2026-03-16");
  await recordCase(now, f.agency, f1Replied.id, actor, {
    kind: "review",
    filedOn: "2025-03-01",
    result: "upheld",
    concludedOn: "2025-05-01",
  });
  await recordCase(now, f.agency, f1Replied.id, actor, {
    kind: "review",
    filedOn: "2025-10-01",
    result: "corrected",
    concludedOn: "2026-01-10",
  });
  await recordCase(now, f.agency, f1Replied.id, actor, { kind: "litigation_direct", filedOn: "2025-04-01" });
  await recordCase(now, f.agency, f1Replied.id, actor, {
    kind: "litigation_after_review",
    filedOn: "2025-06-01",
    result: "other",
    concludedOn: "2025-09-01",
  });
}

/** Expected table 四 of 2025 (the 2025-10-01 review concluded in 2026 is 尚未审结 at the end of 2025). */
export const EXPECTED_CASES_2025 = {
  review: { upheld: 1, corrected: 0, other: 0, pending: 1, total: 2 },
  litigation_direct: { upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 },
  litigation_after_review: { upheld: 0, corrected: 0, other: 1, pending: 0, total: 1 },
};

/** 信息处理费 2025: G 40 pages (100元, unpaid), J 35 pages (50元, paid). */
export const EXPECTED_FEES_2025 = { notices: 2, amount_notified: 150, amount_collected: 50 };

/** Publishes records of every table 二 category through the publishing service. */
export async function buildRecords(db: Db, f: ReportFixture): Promise<void> {
  const deps = await createTestDeps({ db, clock: fixedClock("2026-03-16T10:00:00+08:00") });
  const items = await createPublishedCatalog(db, f.agency.id, [
    { key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" },
    { key: "decisions", name: "行政执法决定", deadline: "作出决定之日起7个工作日内" },
  ]);
  await useDemoIndexCode(deps, f.agency.id, "DEMO-REPORT");
  const actor = staffActor(f.boss);
  const policy = items.policy?.id ?? null;
  const decisions = items.decisions?.id ?? null;
  const publish = (date: string, input: Parameters<typeof publishOn>[4]) =>
    publishOn(deps, actor, f.agency.id, date, { bodyHtml: "<p>正文</p>", ...input });
  await publish("2025-03-05", {
    title: "某某管理办法",
    formedDate: "2025-03-01",
    itemId: policy,
    docCategory: "rules",
    validity: "有效",
  });
  await publish("2024-05-06", {
    title: "关于调整就业补助标准的通知",
    formedDate: "2024-05-01",
    itemId: policy,
    docCategory: "normative_documents",
    validity: "有效",
  });
  await publish("2025-07-01", {
    title: "关于失业保险的若干规定",
    formedDate: "2023-02-01",
    itemId: policy,
    docCategory: "normative_documents",
    validity: "废止",
    repealDate: "2025-06-30",
  });
  await publish("2025-04-02", {
    title: "关于做好2025年就业工作的通知",
    formedDate: "2025-04-01",
    itemId: policy,
    docCategory: "normative_documents",
    validity: "有效",
  });
  await publish("2025-05-12", {
    title: "2025年5月行政许可决定公示",
    formedDate: "2025-05-10",
    itemId: decisions,
    docCategory: "licensing",
    decisionCount: 12,
  });
  await publish("2024-12-02", {
    title: "2024年11月行政许可决定公示",
    formedDate: "2024-12-01",
    itemId: decisions,
    docCategory: "licensing",
    decisionCount: 5,
  });
  await publish("2025-07-02", {
    title: "行政处罚决定公示",
    formedDate: "2025-07-01",
    itemId: decisions,
    docCategory: "penalty",
    decisionCount: 3,
  });
  await publish("2025-12-16", {
    title: "2025年行政事业性收费情况",
    formedDate: "2025-12-15",
    itemId: decisions,
    docCategory: "administrative_fees",
    feeAmountWan: 12.5,
  });
  await publish("2025-12-17", {
    title: "2025年行政事业性收费补充",
    formedDate: "2025-12-16",
    itemId: decisions,
    docCategory: "administrative_fees",
    feeAmountWan: 0.25,
  });
  const withdrawn = await publish("2025-08-02", {
    title: "已撤回的规章",
    formedDate: "2025-08-01",
    itemId: policy,
    docCategory: "rules",
    validity: "有效",
  });
  await withdrawRecord(
    { ...deps, clock: fixedClock("2025-08-10T10:00:00+08:00") },
    actor,
    f.agency.id,
    withdrawn,
    "内容有误",
  );
}

/** Expected table 二 of 2025 from buildRecords. */
export const EXPECTED_PROACTIVE_2025 = {
  item1: {
    rules: { issued: 1, repealed: 0, in_force: 1 },
    normative_documents: { issued: 1, repealed: 1, in_force: 2 },
  },
  item5: { licensing: { decisions: 12 } },
  item6: { penalty: { decisions: 3 }, coercion: { decisions: 0 } },
  item8: { administrative_fees: { amount: 12.75 } },
};
