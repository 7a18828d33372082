import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { type Actor, staffActor } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { OUTCOME_CODES } from "../legal/annual-report-codes.ts";
import { fixedClock } from "../shared/clock.ts";
import { residentIdCheckChar } from "../shared/identifiers.ts";
import type { ApplicationInput } from "./applicant.rules.ts";
import { issueFeeNotice, lapseFee, recordPayment } from "./fees.service.ts";
import {
  approveExtension,
  assignInfoRequest,
  confirmReceipt,
  decideExcessive,
  endConsultation,
  lapseCorrection,
  proposeExtension,
  receiveCorrection,
  requestCorrection,
  requestReasons,
  startConsultation,
} from "./handling.service.ts";
import { updateRequestSettings } from "./info-request.service.ts";
import type { InfoRequest } from "./info-request.ts";
import {
  getInfoRequestDetail,
  listQueue,
  listQueuePage,
  listReminders,
  lookupStatus,
  revealPersonalData,
} from "./info-request-query.service.ts";
import { registerApplication, submitOnlineApplication } from "./intake.service.ts";
import { renderStoredNotice } from "./notices.service.ts";
import { REPLY_TYPES } from "./outcome.rules.ts";
import { archiveInfoRequest, recordDelivery, replyToInfoRequest } from "./reply.service.ts";
import { annualRequestStats } from "./request-stats.read.ts";
import { purgeExpiredPersonalData } from "./retention.service.ts";
import { recordCase, updateCaseResult } from "./review-case.service.ts";

const ID = "11010519491231002X";

function input(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    applicantType: "natural_person",
    name: "张三",
    idType: "resident_id",
    idNumber: ID,
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

let db: Db;
let agency: Agency;
let actor: Actor;
const depsAt = new Map<string, Deps>();

async function at(day: string): Promise<Deps> {
  const existing = depsAt.get(day);
  if (existing) return existing;
  const deps = await createTestDeps({ db, clock: fixedClock(day) });
  depsAt.set(day, deps);
  return deps;
}

/** An application handed in at the counter on `day` (received that day, 条例第31条(一)). */
async function inPerson(day: string, overrides: Partial<ApplicationInput> = {}): Promise<InfoRequest> {
  const deps = await at(day);
  return (
    await registerApplication(deps, agency, actor, {
      ...input(overrides),
      channel: "in_person",
      submittedOn: day,
    })
  ).request;
}

async function detail(id: string, day = "2026-03-01") {
  return getInfoRequestDetail(await at(day), agency, id);
}

function due(d: Awaited<ReturnType<typeof detail>>, kind: string): string | null | undefined {
  return d.deadlines.deadlines.find((x) => x.kind === kind)?.due;
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

// Top level (not in a hook): test-db registers its clean-up with the file's `after`.
db = (await createTestDatabase()).db;
{
  const a = await createAgency(db, { name: "测试县人力资源和社会保障局" });
  await fillGuideContact(db, a.id);
  agency = await getAgencyBySlug(db, a.slug);
  const handler = await createUser(db, {
    roles: ["request_handler"],
    agencyId: agency.id,
    displayName: "李经办",
  });
  actor = staffActor(handler);
}

describe("intake", () => {
  it("online: awaits mutual confirmation, then the clock starts (received 2025-09-26 → 2025-10-30)", async () => {
    const deps = await at("2025-09-26");
    const { request, queryCode } = await submitOnlineApplication(deps, agency, input());
    assert.equal(request.status, "awaiting_confirmation");
    assert.equal(request.receivedOn, null);
    assert.match(queryCode, /^[23456789A-HJ-NP-Z]{12}$/);
    const confirmed = await confirmReceipt(deps, agency, request.id, request.version, actor, {
      date: "2025-09-26",
    });
    assert.equal(confirmed.status, "processing");
    assert.equal(confirmed.receivedOn, "2025-09-26");
    assert.equal(confirmed.nextDueOn, "2025-10-30");
    const d = await detail(request.id);
    assert.equal(due(d, "reply"), "2025-10-30");
    assert.deepEqual(
      d.notices.map((n) => n.kind),
      ["receipt"],
    );
  });

  it("a double submission (double click, resent form) is answered with the first application", async () => {
    const deps = await at("2025-09-29");
    const same = input({ idNumber: validId(71), infoTitle: "重复提交测试" });
    // Two at once (a double click) and a third a moment later: one application, one 查询码.
    const [a, b] = await Promise.all([
      submitOnlineApplication(deps, agency, same),
      submitOnlineApplication(deps, agency, same),
    ]);
    const c = await submitOnlineApplication(deps, agency, { ...same, infoTitle: " 重复提交测试 " });
    assert.equal(b.request.id, a.request.id);
    assert.equal(c.request.id, a.request.id);
    assert.equal(b.queryCode, a.queryCode);
    const other = await submitOnlineApplication(deps, agency, { ...same, infoDescription: "另一份" });
    assert.notEqual(other.request.id, a.request.id);
    const otherPhone = await submitOnlineApplication(deps, agency, { ...same, phone: "13912345678" });
    assert.notEqual(otherPhone.request.id, a.request.id);
    const rows = await db
      .selectFrom("info_requests")
      .select("id")
      .where("agency_id", "=", agency.id)
      .where("info_title", "=", "重复提交测试")
      .execute();
    assert.equal(rows.length, 3);
  });

  it("post: the signed-for date is the receipt date", async () => {
    const deps = await at("2025-03-10");
    const { request } = await registerApplication(deps, agency, actor, {
      ...input({ phone: "", delivery: "post" }),
      channel: "post",
      submittedOn: "2025-03-03",
      signedForOn: "2025-03-04",
    });
    assert.equal(request.receivedOn, "2025-03-04");
    assert.match(request.receiptBasis ?? "", /签收/);
  });

  it("oral applications are recorded as such (代为填写)", async () => {
    const r = await inPerson("2025-03-03");
    const deps = await at("2025-03-03");
    const { request } = await registerApplication(deps, agency, actor, {
      ...input(),
      channel: "oral",
      submittedOn: "2025-03-03",
    });
    assert.equal(request.channel, "oral");
    assert.equal(request.filledByStaff, true);
    assert.equal(r.channel, "in_person");
  });

  it("validates the identity number and refuses dates in the future", async () => {
    const deps = await at("2025-03-03");
    await rejects(
      submitOnlineApplication(deps, agency, input({ idNumber: "110105194912310021" })),
      "validation_failed",
    );
    await rejects(
      registerApplication(deps, agency, actor, {
        ...input(),
        channel: "in_person",
        submittedOn: "2025-03-04",
      }),
      "validation_failed",
    );
  });

  it("refuses receipt dates before the 条例 was in force or that do not exist, with the reason", async () => {
    const deps = await at("2025-03-03");
    for (const [submittedOn, message] of [
      ["0001-01-01", /不能早于2019年5月15日/],
      ["2019-05-14", /不能早于2019年5月15日/],
      ["2025-02-30", /日期格式应为YYYY-MM-DD/],
    ] as const)
      await assert.rejects(
        registerApplication(deps, agency, actor, { ...input(), channel: "in_person", submittedOn }),
        (e: unknown) => {
          assert.ok(isAppError(e), String(e));
          assert.match(e.fields.find((f) => f.field === "submittedOn")?.message ?? "", message);
          return true;
        },
      );
  });

  it("refuses a correction period past the working-day calendar (it broke the agency's queue)", async () => {
    const r = await inPerson("2025-03-03", { infoTitle: "远期补正期限" });
    await rejects(
      requestCorrection(await at("2025-03-05"), agency, r.id, r.version, actor, {
        noticeOn: "2025-03-05",
        dueOn: "2999-12-31",
        items: "请写明年份",
      }),
      "validation_failed",
    );
  });

  it("refuses applications without an encryption key", async () => {
    const deps = await createTestDeps({
      db,
      clock: fixedClock("2025-03-03"),
      config: { encryptionKey: undefined },
    });
    await rejects(submitOnlineApplication(deps, agency, input()), "encryption_key_missing");
  });

  it("stores personal data only encrypted, masks it, and audits a full read", async () => {
    const r = await inPerson("2025-04-01");
    const row = await db
      .selectFrom("info_requests")
      .selectAll()
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    const asText = JSON.stringify(row);
    assert.ok(!asText.includes(ID), "identity number not in clear");
    assert.ok(!asText.includes("13812345678"), "phone not in clear");
    assert.ok(!asText.includes("张三"), "name not in clear");
    assert.equal(row.applicant_display, "张*");
    assert.equal(row.id_masked, "1101**********002X");
    const personal = await revealPersonalData(await at("2025-04-01"), agency, r.id, actor);
    assert.equal(personal?.idNumber, ID);
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("entity_id", "=", r.id)
      .where("action", "=", "request.read_personal")
      .execute();
    assert.equal(audit.length, 1);
    // Notices carry no name in clear either; rendering fills it in.
    const notices = await db
      .selectFrom("info_request_notices")
      .selectAll()
      .where("request_id", "=", r.id)
      .execute();
    assert.ok(!JSON.stringify(notices).includes("张三"));
    const rendered = await renderStoredNotice(await at("2025-04-01"), agency, notices[0]!.id, actor);
    assert.equal(rendered.document.recipient, "张三：");
  });
});

describe("handling paths", () => {
  it("on-time reply, delivery and archive", async () => {
    const r = await inPerson("2025-09-26");
    const deps = await at("2025-10-20");
    const replied = await replyToInfoRequest(deps, agency, r.id, r.version, actor, {
      replyType: "art36_2",
      outcome: "granted",
      repliedOn: "2025-10-20",
    });
    assert.equal(replied.status, "concluded");
    assert.equal(replied.outcome, "granted");
    const d = await detail(r.id);
    assert.equal(d.deadlines.deadlines.find((x) => x.kind === "reply")?.state, "met");
    assert.deepEqual(
      d.notices.map((n) => n.kind),
      ["receipt", "reply"],
    );
    assert.ok(
      d.notices[1]!.paragraphs.some((p) => p.includes("六十日内") && p.includes("六个月内")),
      "remedy clause",
    );
    const delivered = await recordDelivery(deps, agency, r.id, replied.version, actor, {
      method: "email",
      deliveredOn: "2025-10-20",
      proof: "电子邮件发送记录",
    });
    const archived = await archiveInfoRequest(deps, agency, r.id, delivered.version, actor, {});
    assert.equal(archived.status, "archived");
  });

  it("correction then reply: the clock restarts on the corrected application (→ 2025-04-14)", async () => {
    const r = await inPerson("2025-03-03");
    const d1 = await at("2025-03-05");
    const c = await requestCorrection(d1, agency, r.id, r.version, actor, {
      noticeOn: "2025-03-05",
      dueOn: "2025-03-19",
      items: "1. 请写明所需信息的年份；\n2. 请写明所涉及的补贴项目名称。",
    });
    assert.equal(c.status, "correction");
    assert.equal(c.nextDueOn, "2025-03-19");
    const d2 = await at("2025-03-14");
    const back = await receiveCorrection(d2, agency, r.id, c.version, actor, { receivedOn: "2025-03-14" });
    assert.equal(back.status, "processing");
    assert.equal(back.nextDueOn, "2025-04-14");
    const d = await detail(r.id);
    assert.equal(d.deadlines.deadlines.find((x) => x.kind === "correction_notice")?.state, "met");
    const replied = await replyToInfoRequest(await at("2025-04-10"), agency, r.id, back.version, actor, {
      replyType: "art30_unclear",
      outcome: "unavailable_still_unclear",
      repliedOn: "2025-04-10",
    });
    assert.equal(replied.outcome, "unavailable_still_unclear");
  });

  it("a correction period ending on the notice day is refused (条例第三十条: a reasonable period)", async () => {
    const r = await inPerson("2025-03-03");
    const d1 = await at("2025-03-05");
    for (const dueOn of ["2025-03-05", "2025-03-04"])
      await rejects(
        requestCorrection(d1, agency, r.id, r.version, actor, {
          noticeOn: "2025-03-05",
          dueOn,
          items: "请写明年份",
        }),
        "validation_failed",
      );
    const c = await requestCorrection(d1, agency, r.id, r.version, actor, {
      noticeOn: "2025-03-05",
      dueOn: "2025-03-06",
      items: "请写明年份",
    });
    assert.equal(c.status, "correction");
  });

  it("no correction in time → deemed withdrawn, only after the period", async () => {
    const r = await inPerson("2025-03-03");
    const c = await requestCorrection(await at("2025-03-05"), agency, r.id, r.version, actor, {
      noticeOn: "2025-03-05",
      dueOn: "2025-03-19",
      items: "请说明所需信息的具体内容。",
    });
    await rejects(
      lapseCorrection(await at("2025-03-19"), agency, r.id, c.version, actor),
      "info_request_period_not_ended",
    );
    const closed = await lapseCorrection(await at("2025-03-20"), agency, r.id, c.version, actor);
    assert.equal(closed.outcome, "other_not_corrected");
    assert.equal(closed.concludedOn, "2025-03-20");
  });

  it("third-party consultation pauses the clock (→ 2025-07-11)", async () => {
    const r = await inPerson("2025-06-03");
    const s = await startConsultation(await at("2025-06-10"), agency, r.id, r.version, actor, {
      kind: "third_party",
      party: "某某科技有限公司",
      matters: "申请公开的合同中含有贵公司的报价信息",
      sentOn: "2025-06-10",
    });
    assert.equal(s.status, "consultation");
    assert.equal(s.nextDueOn, "2025-07-01", "while paused the next due date is the party's 15 working days");
    const e = await endConsultation(await at("2025-06-20"), agency, r.id, s.version, actor, {
      endedOn: "2025-06-20",
      result: "objection",
    });
    assert.equal(e.nextDueOn, "2025-07-11");
    const d = await detail(r.id);
    assert.ok(d.notices.some((n) => n.kind === "consultation" && n.recipient === "某某科技有限公司："));
    const replied = await replyToInfoRequest(await at("2025-07-10"), agency, r.id, e.version, actor, {
      replyType: "art36_3",
      outcome: "withheld_third_party",
      reasons: "第三方不同意公开，且公开会损害其商业秘密。",
      repliedOn: "2025-07-10",
    });
    assert.equal(replied.outcome, "withheld_third_party");
  });

  it("extension: proposed by the handler, approved by the office head, once, before expiry (→ 2025-06-27)", async () => {
    const r = await inPerson("2025-04-28");
    const p = await proposeExtension(await at("2025-05-19"), agency, r.id, r.version, actor, {
      days: 20,
      reason: "所需信息涉及多个年度档案，需调阅整理",
    });
    await rejects(
      proposeExtension(await at("2025-05-19"), agency, r.id, p.version, actor, { days: 5, reason: "x" }),
      "info_request_extension_exists",
    );
    // Not approved before it was proposed (2025-05-19).
    await rejects(
      approveExtension(await at("2025-05-20"), agency, r.id, p.version, actor, { approvedOn: "2025-05-16" }),
      "validation_failed",
    );
    const a = await approveExtension(await at("2025-05-20"), agency, r.id, p.version, actor, {
      approvedOn: "2025-05-20",
    });
    assert.equal(a.nextDueOn, "2025-06-27");
    const d = await detail(r.id);
    assert.equal(d.deadlines.originalReplyDue, "2025-05-29");
    const notice = d.notices.find((n) => n.kind === "extension");
    assert.ok(
      notice?.paragraphs.some((t) => t.includes("2025年6月27日")),
      "extension notice names the new date",
    );
  });

  it("an extension approved after the reply period expired is refused", async () => {
    const r = await inPerson("2025-04-28");
    const p = await proposeExtension(await at("2025-06-03"), agency, r.id, r.version, actor, {
      days: 10,
      reason: "案卷多",
    });
    await rejects(
      approveExtension(await at("2025-06-03"), agency, r.id, p.version, actor, { approvedOn: "2025-06-03" }),
      "info_request_deadline_invalid",
    );
  });

  it("fee notice unpaid → deemed withdrawn after 20 working days from the day after service", async () => {
    const r = await inPerson("2025-11-03");
    const f = await issueFeeNotice(await at("2025-11-10"), agency, r.id, r.version, actor, {
      basis: "per_page",
      units: 250,
      servedOn: "2025-11-10",
    });
    assert.equal(f.status, "fee_pending");
    const d = await detail(r.id);
    // 11/10 + 20 working days: 11/11–14 4, 17–21 9, 24–28 14, 12/1–5 19, 12/8 20
    assert.equal(due(d, "payment"), "2025-12-08");
    assert.ok(d.notices.some((n) => n.kind === "fee" && n.paragraphs.some((p) => p.includes("4700"))));
    await rejects(
      issueFeeNotice(await at("2025-11-10"), agency, r.id, f.version, actor, {
        basis: "per_item",
        units: 1,
        servedOn: "2025-11-10",
      }),
      "info_request_invalid_state",
    );
    await rejects(
      lapseFee(await at("2025-12-08"), agency, r.id, f.version, actor),
      "info_request_period_not_ended",
    );
    const closed = await lapseFee(await at("2025-12-09"), agency, r.id, f.version, actor);
    assert.equal(closed.outcome, "other_fee_unpaid");
  });

  it("fee paid → processing again; 按件 counts the applicant's calendar month", async () => {
    // One applicant, eleven applications in March 2025: the first ten are free, the eleventh costs 100 元.
    const same: InfoRequest[] = [];
    for (let i = 0; i < 11; i++)
      same.push(
        await inPerson("2025-03-11", { idNumber: validId(99), infoTitle: `社保基金支出明细第${i + 1}项` }),
      );
    const tenth = same[9] as InfoRequest;
    const eleventh = same[10] as InfoRequest;
    await rejects(
      issueFeeNotice(await at("2025-03-12"), agency, tenth.id, tenth.version, actor, {
        basis: "per_item",
        units: 1,
        servedOn: "2025-03-12",
      }),
      "validation_failed",
    );
    const f = await issueFeeNotice(await at("2025-03-12"), agency, eleventh.id, eleventh.version, actor, {
      basis: "per_item",
      units: 1,
      servedOn: "2025-03-12",
    });
    const row = await db
      .selectFrom("info_requests")
      .select(["fee_amount"])
      .where("id", "=", f.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.fee_amount, 100);
    // Less than the 100 元 notified, or a number the column cannot hold, is refused with the reason.
    for (const amount of ["0", "99", "99999999999"])
      await rejects(
        recordPayment(await at("2025-03-14"), agency, f.id, f.version, actor, {
          paidOn: "2025-03-14",
          amount,
        }),
        "validation_failed",
      );
    const paid = await recordPayment(await at("2025-03-14"), agency, f.id, f.version, actor, {
      paidOn: "2025-03-14",
    });
    assert.equal(paid.status, "processing");
  });

  it("Art. 35: reasons requested, then a deferred deadline or not processed", async () => {
    const r1 = await inPerson("2025-05-06");
    const q1 = await requestReasons(await at("2025-05-07"), agency, r1.id, r1.version, actor, {
      sentOn: "2025-05-07",
    });
    // A deferred date past the working-day calendar (a typed 2999) is refused, not stored to break the queue.
    await rejects(
      decideExcessive(await at("2025-05-15"), agency, r1.id, q1.version, actor, {
        decision: "deferral",
        decidedOn: "2025-05-15",
        dueOn: "2999-07-31",
      }),
      "validation_failed",
    );
    const d1 = await decideExcessive(await at("2025-05-15"), agency, r1.id, q1.version, actor, {
      decision: "deferral",
      decidedOn: "2025-05-15",
      dueOn: "2025-07-31",
    });
    assert.equal(d1.nextDueOn, "2025-07-31");
    const r2 = await inPerson("2025-05-06");
    const q2 = await requestReasons(await at("2025-05-07"), agency, r2.id, r2.version, actor, {
      sentOn: "2025-05-07",
    });
    const d2 = await decideExcessive(await at("2025-05-15"), agency, r2.id, q2.version, actor, {
      decision: "not_processed",
      decidedOn: "2025-05-15",
    });
    assert.equal(d2.outcome, "not_processed_excessive");
  });

  it("every reply type with each of its outcomes", async () => {
    for (const type of REPLY_TYPES.filter((t) => !t.systemOnly)) {
      for (const outcome of type.outcomes) {
        const r = await inPerson("2025-08-01", { infoTitle: `答复类型测试${type.code}${outcome}` });
        let version = r.version;
        if (outcome === "unavailable_still_unclear") {
          const c = await requestCorrection(await at("2025-08-04"), agency, r.id, version, actor, {
            noticeOn: "2025-08-04",
            items: "请明确所需信息",
          });
          version = (
            await receiveCorrection(await at("2025-08-06"), agency, r.id, c.version, actor, {
              receivedOn: "2025-08-06",
            })
          ).version;
        }
        const replied = await replyToInfoRequest(await at("2025-08-20"), agency, r.id, version, actor, {
          replyType: type.code,
          outcome,
          legalBasis:
            outcome === "not_processed_confirmation" || outcome === "other_other"
              ? "《中华人民共和国政府信息公开条例》第三十九条"
              : "",
          reasons: "具体理由说明",
          repliedOn: "2025-08-20",
        });
        assert.equal(replied.outcome, outcome, `${type.code}/${outcome}`);
      }
    }
    const outcomes = await db
      .selectFrom("info_requests")
      .select("outcome")
      .distinct()
      .where("agency_id", "=", agency.id)
      .where("outcome", "is not", null)
      .execute();
    const seen = new Set(outcomes.map((o) => o.outcome));
    for (const code of OUTCOME_CODES) assert.ok(seen.has(code), `outcome ${code} recorded`);
  });

  it("a reply is refused while a correction is pending, and a mismatched outcome is refused", async () => {
    const r = await inPerson("2025-03-03");
    await rejects(
      replyToInfoRequest(await at("2025-03-04"), agency, r.id, r.version, actor, {
        replyType: "art36_3",
        outcome: "granted",
        repliedOn: "2025-03-04",
      }),
      "validation_failed",
    );
    const c = await requestCorrection(await at("2025-03-04"), agency, r.id, r.version, actor, {
      noticeOn: "2025-03-04",
      items: "请补充",
    });
    await rejects(
      replyToInfoRequest(await at("2025-03-05"), agency, r.id, c.version, actor, {
        replyType: "art36_2",
        outcome: "granted",
        repliedOn: "2025-03-05",
      }),
      "info_request_invalid_state",
    );
  });

  it("optimistic locking: two handlers cannot overwrite each other", async () => {
    const r = await inPerson("2025-03-03");
    const deps = await at("2025-03-04");
    await assignInfoRequest(deps, agency, r.id, r.version, actor, { departmentId: "", assigneeId: actor.id });
    await rejects(
      requestCorrection(deps, agency, r.id, r.version, actor, { noticeOn: "2025-03-04", items: "请补充" }),
      "info_request_conflict",
    );
    // Concurrent: both start from the same version; exactly one wins.
    const fresh = await inPerson("2025-03-03");
    const results = await Promise.allSettled([
      requestReasons(deps, agency, fresh.id, fresh.version, actor, { sentOn: "2025-03-04" }),
      requestCorrection(deps, agency, fresh.id, fresh.version, actor, {
        noticeOn: "2025-03-04",
        items: "请补充",
      }),
    ]);
    assert.equal(results.filter((x) => x.status === "fulfilled").length, 1);
    const failed = results.find((x) => x.status === "rejected") as PromiseRejectedResult;
    assert.equal((failed.reason as { code: string }).code, "info_request_conflict");
  });
});

function validId(n: number): string {
  const first17 = `11010119900307${String(n).padStart(3, "0")}`;
  return first17 + residentIdCheckChar(first17);
}

describe("tracking", () => {
  it("status page: query code + last four phone digits; plain milestones; nothing else", async () => {
    const deps = await at("2025-09-26");
    const { request, queryCode } = await submitOnlineApplication(
      deps,
      agency,
      input({ phone: "13900001234" }),
    );
    await rejects(lookupStatus(deps, queryCode, "0000"), "info_request_lookup_failed");
    await rejects(lookupStatus(deps, "AAAA-BBBB-CCCC", "1234"), "info_request_lookup_failed");
    let status = await lookupStatus(deps, queryCode.toLowerCase(), "1234");
    assert.equal(status.statusLabel, "已提交，等待本机关确认收到");
    await confirmReceipt(deps, agency, request.id, request.version, actor, { date: "2025-09-26" });
    status = await lookupStatus(
      deps,
      `${queryCode.slice(0, 4)}-${queryCode.slice(4, 8)}-${queryCode.slice(8)}`,
      "1234",
    );
    assert.equal(status.milestones.length, 2);
    assert.ok(status.dueTexts.some((t) => t.includes("2025年10月30日")));
    assert.ok(!JSON.stringify(status).includes("张三"));
    assert.ok(!JSON.stringify(status).includes(ID));
  });

  it("queue and reminders flag due-soon and overdue applications", async () => {
    const r = await inPerson("2025-09-26", { infoTitle: "提醒测试：某项目资金拨付文件" });
    const deps = await at("2025-10-28");
    const soon = await listQueue(deps, agency, { view: "due_soon", text: "提醒测试" });
    assert.equal(soon.length, 1);
    assert.equal(soon[0]?.urgency, "due_soon");
    const late = await at("2025-10-31");
    const overdue = await listQueue(late, agency, { view: "overdue", text: "提醒测试" });
    assert.equal(overdue[0]?.request.id, r.id);
    const reminders = await listReminders(late, agency);
    assert.ok(reminders.some((x) => x.request.id === r.id && x.urgency === "overdue"));
  });

  it("the queue pages: every application is reachable, not only the first page", async () => {
    for (let i = 1; i <= 5; i++) await inPerson("2025-06-02", { infoTitle: `分页测试第${i}件` });
    const deps = await at("2025-06-03");
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const p = await listQueuePage(deps, agency, { view: "all", text: "分页测试" }, page, 2);
      seen.push(...p.items.map((i) => i.request.infoTitle));
      assert.equal(p.hasNext, page < 3, `page ${page}`);
    }
    assert.deepEqual(
      seen.sort(),
      [1, 2, 3, 4, 5].map((i) => `分页测试第${i}件`),
    );
  });

  it("similar applications are flagged (条例第44条)", async () => {
    const a = await inPerson("2025-02-03", { infoTitle: "2024年度城镇职工基本养老保险基金收支情况" });
    await inPerson("2025-02-04", {
      infoTitle: "2024年度城镇职工基本养老保险基金收支明细",
      idNumber: validId(7),
    });
    const d = await detail(a.id);
    assert.ok(
      d.similar.some((s) => s.title.includes("基金收支明细")),
      JSON.stringify(d.similar),
    );
    const queue = await listQueue(await at("2025-02-05"), agency, { view: "all", text: "养老保险基金收支" });
    assert.equal(queue.length, 2);
    assert.ok(
      queue.every((i) => i.similar),
      "both are flagged in the queue",
    );
    const other = await listQueue(await at("2025-02-05"), agency, { view: "all", text: "提醒测试" });
    assert.ok(other.every((i) => !i.similar));
  });
});

describe("review and litigation, statistics, retention", () => {
  it("annualRequestStats: table 三 identity and table 四 counts", async () => {
    const other = await getAgencyBySlug(db, (await createAgency(db)).slug);
    await fillGuideContact(db, other.id);
    const deps24 = await createTestDeps({ db, clock: fixedClock("2024-12-20") });
    const carried = await registerApplication(deps24, other, actor, {
      ...input({
        applicantType: "commercial",
        name: "某某科技有限公司",
        idType: "credit_code",
        idNumber: "91350100M000100Y43",
      }),
      channel: "in_person",
      submittedOn: "2024-12-20",
    });
    const deps25 = await createTestDeps({ db, clock: fixedClock("2025-12-31") });
    await replyToInfoRequest(deps25, other, carried.request.id, carried.request.version, actor, {
      replyType: "art36_2",
      outcome: "granted",
      repliedOn: "2025-01-10",
    });
    const a = await registerApplication(deps25, other, actor, {
      ...input(),
      channel: "in_person",
      submittedOn: "2025-03-03",
    });
    const replied = await replyToInfoRequest(deps25, other, a.request.id, a.request.version, actor, {
      replyType: "art36_4",
      outcome: "unavailable_not_held",
      repliedOn: "2025-03-20",
    });
    await registerApplication(deps25, other, actor, {
      ...input(),
      channel: "in_person",
      submittedOn: "2025-12-22",
    });
    await submitOnlineApplication(deps25, other, input()); // unconfirmed: not received yet
    const review = await recordCase(deps25, other, replied.id, actor, {
      kind: "review",
      filedOn: "2025-04-15",
    });
    await updateCaseResult(deps25, other, review.id, review.version, actor, {
      result: "upheld",
      concludedOn: "2025-06-01",
    });
    await recordCase(deps25, other, replied.id, actor, {
      kind: "litigation_after_review",
      filedOn: "2025-06-10",
    });

    const stats = await annualRequestStats(db, other.id, 2025);
    const t = stats.applications;
    assert.equal(t.received.natural_person, 2);
    assert.equal(t.received.total, 2);
    assert.equal(t.carried_over.commercial, 1);
    assert.equal(t.granted.commercial, 1);
    assert.equal(t.unavailable_not_held.natural_person, 1);
    assert.equal(t.concluded_total.total, 2);
    assert.equal(t.carried_forward.total, 1);
    for (const col of ["natural_person", "commercial", "total"] as const) {
      assert.equal(
        t.received[col] + t.carried_over[col],
        t.concluded_total[col] + t.carried_forward[col],
        col,
      );
    }
    assert.equal(stats.reviewLitigation.review.upheld, 1);
    assert.equal(stats.reviewLitigation.review.total, 1);
    assert.equal(stats.reviewLitigation.litigation_after_review.pending, 1);
    const previous = await annualRequestStats(db, other.id, 2024);
    assert.equal(previous.applications.carried_forward.total, t.carried_over.total, "carry-over continuity");
  });

  it("purges personal data after the retention period", async () => {
    const r = await inPerson("2025-01-06");
    const deps = await at("2025-01-10");
    const replied = await replyToInfoRequest(deps, agency, r.id, r.version, actor, {
      replyType: "art36_2",
      outcome: "granted",
      repliedOn: "2025-01-10",
    });
    // Not archived before the reply is served (送达 could no longer be recorded).
    await rejects(
      archiveInfoRequest(deps, agency, r.id, replied.version, actor, { archivedOn: "2025-01-10" }),
      "info_request_invalid_state",
    );
    const delivered = await recordDelivery(deps, agency, r.id, replied.version, actor, {
      method: "pickup",
      deliveredOn: "2025-01-10",
    });
    await archiveInfoRequest(deps, agency, r.id, delivered.version, actor, { archivedOn: "2025-01-10" });
    await updateRequestSettings(deps, agency, actor, { retentionYears: 1, correctionDays: 10 });
    assert.deepEqual(
      (await purgeExpiredPersonalData(await at("2026-01-09"))).purged.includes(r.number),
      false,
    );
    const out = await purgeExpiredPersonalData(await at("2026-01-10"));
    assert.ok(out.purged.includes(r.number));
    const row = await db
      .selectFrom("info_requests")
      .select(["personal_enc", "applicant_display"])
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.personal_enc, null);
    assert.equal(row.applicant_display, "（已删除）");
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_events WHERE action = 'request.purge_personal'`.execute(db);
    assert.ok((n.rows[0]?.n ?? 0) >= 1);
  });
});
