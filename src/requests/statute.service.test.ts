// Issue #16 on the real database: one 补正, the fee window excluded by default and a settings change recomputing
// open due dates, overdue on the public status page, notices only with the guide's contact details, and the
// migration carrying the old settings fields over to the guide.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency, createUser, fillGuideContact, TEST_GUIDE_CONTACT } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { type Actor, staffActor } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import { createMigrator } from "../db/migrator.ts";
import type { Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { fixedClock } from "../shared/clock.ts";
import type { ApplicationInput } from "./applicant.rules.ts";
import { issueFeeNotice } from "./fees.service.ts";
import { receiveCorrection, requestCorrection } from "./handling.service.ts";
import { getRequestSettings, updateRequestSettings } from "./info-request.service.ts";
import type { InfoRequest } from "./info-request.ts";
import { getInfoRequestDetail, lookupStatus } from "./info-request-query.service.ts";
import { registerApplication, submitOnlineApplication } from "./intake.service.ts";
import { getNoticeContact } from "./notices.service.ts";

const input: ApplicationInput = {
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
};

const db: Db = (await createTestDatabase()).db;
const a = await createAgency(db, { name: "测试区人力资源和社会保障局" });
const agency: Agency = await getAgencyBySlug(db, a.slug);
await fillGuideContact(db, agency.id);
const handler = await createUser(db, {
  roles: ["request_handler"],
  agencyId: agency.id,
  displayName: "王经办",
});
const actor: Actor = staffActor(handler);

async function at(day: string): Promise<Deps> {
  return createTestDeps({ db, clock: fixedClock(day) });
}

async function inPerson(day: string, target: Agency = agency): Promise<InfoRequest> {
  return (
    await registerApplication(await at(day), target, actor, {
      ...input,
      channel: "in_person",
      submittedOn: day,
    })
  ).request;
}

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe("条例第30条: one 补正 per application", () => {
  it("refuses a second correction request with the reason and the outcome to use", async () => {
    const r = await inPerson("2025-03-03");
    const c = await requestCorrection(await at("2025-03-05"), agency, r.id, r.version, actor, {
      noticeOn: "2025-03-05",
      items: "请写明所需信息的名称",
    });
    const back = await receiveCorrection(await at("2025-03-14"), agency, r.id, c.version, actor, {
      receivedOn: "2025-03-14",
    });
    assert.equal(back.nextDueOn, "2025-04-14");
    await rejects(
      requestCorrection(await at("2025-03-17"), agency, r.id, back.version, actor, {
        noticeOn: "2025-03-17",
        items: "请再补充",
      }),
      "info_request_correction_once",
      /补正后申请内容仍不明确/,
    );
    const d = await getInfoRequestDetail(await at("2025-03-17"), agency, r.id);
    assert.equal(d.deadlines.deadlines.find((x) => x.kind === "reply")?.due, "2025-04-14", "clock not reset");
  });
});

describe("fee window and settings", () => {
  it("excludes the payment window by default and recomputes open due dates when the setting changes", async () => {
    const other = await getAgencyBySlug(db, (await createAgency(db)).slug);
    await fillGuideContact(db, other.id);
    assert.equal((await getRequestSettings(db, other)).feePausesClock, true);
    // Received 11-03 (due 12-01); fee served 11-10 and unpaid: the reply clock stops on 11-10.
    const r = await inPerson("2025-11-03", other);
    const f = await issueFeeNotice(await at("2025-11-10"), other, r.id, r.version, actor, {
      basis: "per_page",
      units: 250,
      servedOn: "2025-11-10",
    });
    assert.notEqual(f.nextDueOn, "2025-12-01");
    await updateRequestSettings(await at("2025-11-12"), other, actor, {
      docPrefix: "",
      retentionYears: "10",
      correctionDays: "10",
      feePausesClock: false,
      feePaymentMethod: "",
    });
    const row = await db
      .selectFrom("info_requests")
      .select(["next_due_on"])
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.next_due_on, "2025-12-01", "next_due_on follows the new rule at once");
  });
});

describe("public status page", () => {
  it("stops promising the reply date once it has passed and says so in plain words", async () => {
    const { request, queryCode } = await submitOnlineApplication(await at("2025-09-26"), agency, input);
    const { confirmReceipt } = await import("./handling.service.ts");
    await confirmReceipt(await at("2025-09-26"), agency, request.id, request.version, actor, {
      date: "2025-09-26",
    });
    const before = await lookupStatus(await at("2025-10-20"), queryCode, "5678");
    assert.ok(before.dueTexts.some((t) => /本机关将在2025年10月30日前答复/.test(t)));
    assert.ok(!before.dueTexts.some((t) => /一次性告知/.test(t)), "the 7-day 补正 window has passed");
    assert.doesNotMatch(before.statusLabel, /（[一二三四五六]）/);
    const after = await lookupStatus(await at("2025-10-31"), queryCode, "5678");
    assert.ok(!after.dueTexts.some((t) => /将在/.test(t)), after.dueTexts.join("|"));
    assert.ok(after.dueTexts.some((t) => /已逾期/.test(t)));
    assert.match(after.statusLabel, /已超过答复期限/);
    const staffView = await getInfoRequestDetail(await at("2025-10-31"), agency, request.id);
    assert.equal(staffView.deadlines.overdue, true, "the application page says 已逾期");
  });
});

describe("public status page during 补正", () => {
  it("shows what to correct and by when", async () => {
    const { request, queryCode } = await submitOnlineApplication(await at("2025-03-03"), agency, input);
    const { confirmReceipt } = await import("./handling.service.ts");
    const r = await confirmReceipt(await at("2025-03-03"), agency, request.id, request.version, actor, {
      date: "2025-03-03",
    });
    await requestCorrection(await at("2025-03-05"), agency, r.id, r.version, actor, {
      noticeOn: "2025-03-05",
      dueOn: "2025-03-19",
      items: "1. 请写明所需信息的名称\n2. 请提供身份证明",
    });
    const s = await lookupStatus(await at("2025-03-06"), queryCode, "5678");
    assert.deepEqual(s.correction, {
      items: "1. 请写明所需信息的名称\n2. 请提供身份证明",
      dueOn: "2025-03-19",
    });
    assert.equal(s.statusLabel, "需要您补正申请内容");
  });
});

describe("notices from the guide", () => {
  it("a notice cannot be generated while the guide lacks contact details; the handler is told which", async () => {
    const bare = await getAgencyBySlug(db, (await createAgency(db)).slug);
    await rejects(
      inPerson("2025-10-20", bare),
      "info_request_notice_contact_missing",
      /联系地址.*行政复议机关/,
    );
    await fillGuideContact(db, bare.id);
    const r = await inPerson("2025-10-20", bare);
    const d = await getInfoRequestDetail(await at("2025-10-20"), bare, r.id);
    const text = d.notices[0]?.paragraphs.join("") ?? "";
    assert.match(text, new RegExp(TEST_GUIDE_CONTACT.officeAddress));
    assert.match(text, new RegExp(TEST_GUIDE_CONTACT.phone));
  });

  it("the migration carries the old settings fields over to the guide", async () => {
    const t = await createTestDatabase();
    const migrator = createMigrator(t.db);
    const ag = await createAgency(t.db);
    const names = (await migrator.getMigrations()).map((m) => m.name);
    const mine = names.indexOf("2026-12-03T2000-notice-contact-from-guide");
    assert.ok(mine > 0);
    const down = await migrator.migrateTo(names[mine - 1] as string);
    assert.equal(down.error, undefined);
    await sql`INSERT INTO info_request_settings (agency_id, office_name, office_address, office_phone, review_body, court)
      VALUES (${ag.id}, '旧办公室', '旧地址1号', '0471-7654321', '旧复议机关', '旧法院')`.execute(t.db);
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const c = await getNoticeContact(t.db, ag.id);
    assert.deepEqual(c, {
      officeName: "旧办公室",
      officeAddress: "旧地址1号",
      officePhone: "0471-7654321",
      reviewBody: "旧复议机关",
      court: "旧法院",
    });
    const s = await getRequestSettings(t.db, await getAgencyBySlug(t.db, ag.slug));
    assert.equal(s.restDayReceipt, "receipt_day");
  });
});
