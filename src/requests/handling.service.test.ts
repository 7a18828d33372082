import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { staffActor } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { fixedClock } from "../shared/clock.ts";
import type { ApplicationInput } from "./applicant.rules.ts";
import {
  approveExtension,
  proposeExtension,
  requestCorrection,
  startConsultation,
  withdrawExtension,
} from "./handling.service.ts";
import type { InfoRequest } from "./info-request.ts";
import { getInfoRequestDetail, listQueuePage } from "./info-request-query.service.ts";
import { applicationInspectionFigures } from "./inspection.read.ts";
import { registerApplication } from "./intake.service.ts";
import { recordDelivery, replyToInfoRequest } from "./reply.service.ts";
import { recordCase } from "./review-case.service.ts";

// Handling steps added or tightened by the apps3 session: texts handlers type, withdrawing an extension proposal,
// a late 补正 notice (条例第30条).

function input(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    applicantType: "natural_person",
    name: "张三",
    idType: "resident_id",
    idNumber: "11010519491231002X",
    phone: "13812345678",
    email: "zhang@example.com",
    address: "某市某路1号",
    postalCode: "010000",
    infoTitle: "2024年度就业补助资金分配情况",
    infoDocNumber: "",
    infoDescription: "",
    form: "electronic",
    delivery: "email",
    ...overrides,
  };
}

const db: Db = (await createTestDatabase()).db;
const created = await createAgency(db, { name: "测试旗人力资源和社会保障局" });
await fillGuideContact(db, created.id);
const agency: Agency = await getAgencyBySlug(db, created.slug);
const handler = staffActor(
  await createUser(db, { roles: ["request_handler"], agencyId: agency.id, displayName: "李经办" }),
);
const colleague = staffActor(
  await createUser(db, { roles: ["request_handler"], agencyId: agency.id, displayName: "王经办" }),
);
const office = staffActor(
  await createUser(db, { roles: ["agency_admin"], agencyId: agency.id, displayName: "赵主任" }),
);

const depsAt = new Map<string, Deps>();
async function at(day: string): Promise<Deps> {
  const existing = depsAt.get(day);
  if (existing) return existing;
  const deps = await createTestDeps({ db, clock: fixedClock(day) });
  depsAt.set(day, deps);
  return deps;
}

async function inPerson(day: string, title = "2024年度就业补助资金分配情况"): Promise<InfoRequest> {
  return (
    await registerApplication(await at(day), agency, handler, {
      ...input({ infoTitle: title }),
      channel: "in_person",
      submittedOn: day,
    })
  ).request;
}

async function rejects(p: Promise<unknown>, code: string, field?: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, code, e.message);
    if (field) {
      const f = e.fields?.find((x) => x.field === field);
      assert.ok(f, `a problem on ${field}: ${JSON.stringify(e.fields)}`);
      if (message) assert.match(f.message, message);
    } else if (message) assert.match(e.message, message);
    return true;
  });
}

async function auditOf(id: string): Promise<{ action: string; summary: string }[]> {
  return db
    .selectFrom("audit_events")
    .select(["action", "summary"])
    .where("entity_id", "=", id)
    .orderBy("seq")
    .execute();
}

describe("texts a handler types on a step refuse what the applicant's side refuses", () => {
  const BIDI = "申请\u202Efdp.exe";
  const CONTROL = "事项\u0007说明";
  const INVISIBLE = "\u200B\u200B \u200D\uFEFF";
  const UNSAFE = /控制字符或不可见的格式字符/;

  it("补正事项, 延期理由, 征求意见: control characters and bidi overrides refused, zero-width-only is empty", async () => {
    const r = await inPerson("2025-03-03");
    const deps = await at("2025-03-05");
    const correction = (items: string) =>
      requestCorrection(deps, agency, r.id, r.version, handler, { noticeOn: "2025-03-05", items });
    await rejects(correction(BIDI), "validation_failed", "items", UNSAFE);
    await rejects(correction(CONTROL), "validation_failed", "items", UNSAFE);
    await rejects(correction(INVISIBLE), "validation_failed", "items", /请填写需要补正的事项/);
    const extension = (reason: string) =>
      proposeExtension(deps, agency, r.id, r.version, handler, { days: 5, reason });
    await rejects(extension(BIDI), "validation_failed", "reason", UNSAFE);
    await rejects(extension(INVISIBLE), "validation_failed", "reason", /请填写延期理由/);
    const consultation = (party: string, matters: string) =>
      startConsultation(deps, agency, r.id, r.version, handler, {
        kind: "third_party",
        party,
        matters,
        sentOn: "2025-03-05",
      });
    // A one-line field refuses line breaks; a textarea keeps them.
    await rejects(consultation("某某公司\n另一家", "是否同意公开"), "validation_failed", "party", UNSAFE);
    await rejects(consultation("某某公司", `是否同意公开${BIDI}`), "validation_failed", "matters", UNSAFE);
    const ok = await consultation("某某公司", "是否同意公开\n涉及贵公司的信息");
    assert.equal(ok.status, "consultation");
  });

  it("reply reasons, legal basis, delivery proof and case fields", async () => {
    const r = await inPerson("2025-03-03");
    const deps = await at("2025-03-10");
    const reply = (extra: Record<string, unknown>) =>
      replyToInfoRequest(deps, agency, r.id, r.version, handler, {
        replyType: "art36_3",
        outcome: "withheld_state_secret",
        repliedOn: "2025-03-10",
        ...extra,
      });
    await rejects(reply({ reasons: CONTROL }), "validation_failed", "reasons", UNSAFE);
    // Reasons that print nothing are no reasons (a refusal must give them).
    await rejects(reply({ reasons: INVISIBLE }), "validation_failed", "reasons", /应当说明理由/);
    await rejects(
      reply({ reasons: "涉及国家秘密", legalBasis: `条例第十四条${BIDI}` }),
      "validation_failed",
      "legalBasis",
      UNSAFE,
    );
    const replied = await reply({ reasons: "涉及国家秘密" });
    await rejects(
      recordDelivery(deps, agency, r.id, replied.version, handler, {
        method: "email",
        deliveredOn: "2025-03-10",
        proof: BIDI,
      }),
      "validation_failed",
      "proof",
      UNSAFE,
    );
    await rejects(
      recordCase(deps, agency, r.id, handler, {
        kind: "review",
        filedOn: "2025-03-10",
        body: "某市人民政府",
        caseNumber: `复议〔2025〕1号${CONTROL}`,
      }),
      "validation_failed",
      "caseNumber",
      UNSAFE,
    );
  });
});

describe("撤回延期申请: a pending extension proposal can be withdrawn", () => {
  it("by the handler who proposed it: recorded in the register and the audit log, the clock unchanged", async () => {
    const r = await inPerson("2025-04-28");
    const before = await getInfoRequestDetail(await at("2025-05-19"), agency, r.id);
    const p = await proposeExtension(await at("2025-05-19"), agency, r.id, r.version, handler, {
      days: 20,
      reason: "所需信息涉及多个年度档案",
    });
    assert.equal(p.extensionDays, 20);
    const w = await withdrawExtension(await at("2025-05-20"), agency, r.id, p.version, handler, {
      reason: "档案已调齐，可按期答复",
    });
    assert.equal(w.extensionDays, null);
    assert.equal(w.extensionProposedOn, null);
    assert.equal(w.nextDueOn, before.request.nextDueOn, "the reply due date is unchanged");
    const after = await getInfoRequestDetail(await at("2025-05-20"), agency, r.id);
    assert.deepEqual(
      after.deadlines.deadlines.map((d) => [d.kind, d.due]),
      before.deadlines.deadlines.map((d) => [d.kind, d.due]),
    );
    const event = after.events.find((e) => e.kind === "extension_withdrawn");
    assert.ok(event, "the register has the withdrawal");
    assert.equal(event.actor_name, "李经办");
    assert.equal(event.public, false);
    assert.match(event.note ?? "", /撤回2025年5月19日提请的延期20个工作日：档案已调齐/);
    assert.ok(
      after.events.some((e) => e.kind === "extension_proposed"),
      "the proposal stays in the register",
    );
    const audit = await auditOf(r.id);
    assert.ok(
      audit.some((a) => a.action === "request.withdraw_extension" && /撤回延期申请/.test(a.summary)),
      JSON.stringify(audit),
    );
    // Nothing left to withdraw; a new proposal is possible and can be approved.
    await rejects(
      withdrawExtension(await at("2025-05-20"), agency, r.id, w.version, handler),
      "info_request_extension_absent",
    );
    const again = await proposeExtension(await at("2025-05-21"), agency, r.id, w.version, handler, {
      days: 5,
      reason: "仍需补充调阅",
    });
    const approved = await approveExtension(await at("2025-05-21"), agency, r.id, again.version, office, {
      approvedOn: "2025-05-21",
    });
    assert.equal(approved.extensionApprovedOn, "2025-05-21");
    await rejects(
      withdrawExtension(await at("2025-05-22"), agency, r.id, approved.version, office),
      "info_request_extension_approved",
    );
  });

  it("by the 政务公开办, not by another handler", async () => {
    const r = await inPerson("2025-04-28");
    const p = await proposeExtension(await at("2025-05-19"), agency, r.id, r.version, handler, {
      days: 10,
      reason: "案卷多",
    });
    await rejects(
      withdrawExtension(await at("2025-05-19"), agency, r.id, p.version, colleague),
      "forbidden",
      undefined,
      /提请延期的经办人（李经办）或本机关政务公开办/,
    );
    const w = await withdrawExtension(await at("2025-05-19"), agency, r.id, p.version, office);
    assert.equal(w.extensionDays, null);
  });

  it("refuses an application never proposed for extension", async () => {
    const r = await inPerson("2025-04-28");
    await rejects(
      withdrawExtension(await at("2025-05-19"), agency, r.id, r.version, handler),
      "info_request_extension_absent",
    );
  });
});

describe("a 补正 notice later than 7 working days after receipt (条例第30条)", () => {
  it("is warned about before sending, sent, recorded as late and listed", async () => {
    const late = await inPerson("2025-03-03", "补正逾期测试：某项目资金文件");
    const onTime = await inPerson("2025-03-03", "补正按期测试：某项目资金文件");
    // Received Monday 2025-03-03: the notice is due within 7 working days, by Wednesday 2025-03-12.
    const early = await getInfoRequestDetail(await at("2025-03-12"), agency, late.id);
    assert.equal(early.correctionNoticeLateToday, null, "on the last day it is not late");
    const before = await getInfoRequestDetail(await at("2025-03-17"), agency, late.id);
    assert.deepEqual(before.correctionNoticeLateToday, { due: "2025-03-12", lateWorkingDays: 3 });

    await requestCorrection(await at("2025-03-05"), agency, onTime.id, onTime.version, handler, {
      noticeOn: "2025-03-05",
      items: "请写明所需信息的年度",
    });
    // Not refused: a late notice is better than none.
    await requestCorrection(await at("2025-03-17"), agency, late.id, late.version, handler, {
      noticeOn: "2025-03-17",
      items: "请写明所需信息的年度",
    });
    const after = await getInfoRequestDetail(await at("2025-03-17"), agency, late.id);
    const notice = after.deadlines.deadlines.find((d) => d.kind === "correction_notice");
    assert.equal(notice?.state, "missed");
    assert.match(notice?.warning ?? "", /截止2025年3月12日）3个工作日/);
    const event = after.events.find((e) => e.kind === "correction_requested");
    assert.equal(event?.data.lateWorkingDays, 3);
    assert.ok(
      (await auditOf(late.id)).some((a) =>
        /逾期告知：晚于补正告知期限（2025-03-12）3个工作日/.test(a.summary),
      ),
    );

    const deps = await at("2025-03-18");
    const listed = await listQueuePage(deps, agency, { view: "late_correction_notice" });
    assert.deepEqual(
      listed.items.map((i) => [i.request.id, i.correctionNoticeLate]),
      [[late.id, 3]],
    );
    assert.equal(listed.total, 1);
    const all = await listQueuePage(deps, agency, { view: "all", text: "补正按期测试" });
    assert.equal(all.items[0]?.correctionNoticeLate, 0);
    const figures = await applicationInspectionFigures(deps, agency.id, "2025-03-18");
    assert.equal(figures.lateCorrectionNotices, 1);
  });
});

describe("numbers a handler types", () => {
  it("full-width digits are digits; hexadecimal, exponents and decimals are refused", async () => {
    const r = await inPerson("2025-04-28", "数字输入测试");
    const deps = await at("2025-05-19");
    for (const days of ["0x14", "1e1", "10.0", "-5", " "])
      await rejects(
        proposeExtension(deps, agency, r.id, r.version, handler, { days, reason: "需调阅档案" }),
        "validation_failed",
        "days",
        /1至20个工作日/,
      );
    const p = await proposeExtension(deps, agency, r.id, r.version, handler, {
      days: "２０",
      reason: "需调阅档案",
    });
    assert.equal(p.extensionDays, 20);
  });
});
