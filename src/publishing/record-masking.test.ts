/**
 * 一键脱敏 and 强制检测 through the console's forms: a record with a phone number and an ID number (and an attachment
 * whose text holds a phone number) is masked one click per finding and publishes with the masked text; the audit
 * names the kind, never the value; the attachment's public download is the masked text while staff keep the
 * original; sensitive words and a leader's outdated title stop sign-off until fixed; a run over published records
 * reports what it finds.
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { Document, Packer, Paragraph } from "docx";
import { type Credentials, signIn } from "../../test/auth.ts";
import { createAgency, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";
import { FULL_CHECKLIST, useDemoIndexCode } from "./publishing.fixtures.ts";
import { addAttachment } from "./record-attachment.service.ts";
import { createRecord } from "./record-draft.service.ts";
import { advanceRecord } from "./record-workflow.service.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-mask-"));
const { app, db, deps } = await createTestApp({
  clock: fixedClock("2026-03-16T10:00:00+08:00"),
  config: { dataDir },
});
const agency = await createAgency(db, { name: "测试县人力资源和社会保障局" });
const items = await createPublishedCatalog(db, agency.id, [
  { key: "policy", name: "行政处罚决定", deadline: "信息形成或者变更之日起20个工作日内" },
]);
await useDemoIndexCode(deps, agency.id, "DEMO-MASK");
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const base = `/admin/agencies/${agency.slug}`;

const PHONE = "13812341234";
const ID = "11010519491231002X";
const sessions = new Map<string, Credentials>();
async function post(user: TestUser, url: string, fields: Record<string, string>) {
  const s = sessions.get(user.id) ?? (await signIn(app, user));
  sessions.set(user.id, s);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
  });
}
async function get(user: TestUser | null, url: string) {
  if (!user) return app.inject({ url });
  const s = sessions.get(user.id) ?? (await signIn(app, user));
  sessions.set(user.id, s);
  return app.inject({ url, headers: { cookie: s.cookie } });
}
/** The hidden fields of every 一键脱敏 form on the record page. */
function maskForms(page: string): Record<string, string>[] {
  return [...page.matchAll(/<form method="post" action="[^"]*\/mask" class="inline">(.*?)<\/form>/g)].map(
    (m) =>
      Object.fromEntries(
        [...(m[1] as string).matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)]
          .filter((x) => x[1] !== "_csrf")
          .map((x) => [x[1] as string, x[2] as string]),
      ),
  );
}

async function docxWith(text: string): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: [new Paragraph(text)] }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

describe("一键脱敏 (one-click masking) through the record page", () => {
  it("masks a phone and an ID number one click each (and an attachment's text); publishes the masked text", async () => {
    const { id } = await createRecord(deps, staffActor(editor), agency.id, {
      title: "行政处罚决定书（测试）",
      formedDate: "2026-03-10",
      itemId: items.policy!.id,
      bodyHtml: `<p>当事人联系电话：${PHONE}，身份证号：${ID}。</p><p>再次核对电话 ${PHONE}。</p>`,
    });
    const attachment = await addAttachment(deps, staffActor(editor), agency.id, id, {
      fileName: "送达回证.docx",
      data: await docxWith(`受送达人电话${PHONE}`),
    });
    assert.ok(attachment.extracted_text.includes(PHONE), "the attachment's text was extracted");
    await advanceRecord(deps, staffActor(editor), agency.id, id, "submit");
    await advanceRecord(deps, staffActor(reviewer), agency.id, id, "review", { checklist: FULL_CHECKLIST });

    // The approver sees the findings with a button each, and the masked form they will take.
    const page = (await get(approver, `${base}/records/${id}`)).body;
    assert.match(page, /138\*\*\*\*1234/);
    assert.match(page, /11\*{13}02X/);
    let forms = maskForms(page);
    assert.deepEqual(forms.map((f) => `${f.kind}@${f.source}`).sort(), [
      `mobile@attachment:${attachment.id}`,
      "mobile@body",
      "mobile@body",
      "resident_id@body",
    ]);
    // Approving is refused while personal data is there (no override reason).
    const refused = await post(approver, `${base}/records/${id}/approve`, {});
    assert.equal(refused.statusCode, 409);

    // One click for the phone (both occurrences), one for the ID number, one for the attachment.
    for (const kind of ["mobile@body", "resident_id@body", `mobile@attachment:${attachment.id}`]) {
      const f = maskForms((await get(approver, `${base}/records/${id}`)).body).find(
        (x) => `${x.kind}@${x.source}` === kind,
      );
      assert.ok(f, `a mask button for ${kind}`);
      const res = await post(approver, `${base}/records/${id}/mask`, f);
      assert.equal(res.statusCode, 303, res.body.slice(0, 400));
      assert.match(String(res.headers.location), /done=mask/);
    }
    forms = maskForms((await get(approver, `${base}/records/${id}`)).body);
    assert.deepEqual(forms, [], "nothing left to mask");

    // A stale form (the finding is gone) is refused with a clear code.
    const stale = await post(approver, `${base}/records/${id}/mask`, {
      kind: "mobile",
      source: "body",
      start: "8",
      length: "11",
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /已不在原位置/);

    // Sign-off and publication go through without an override and publish the masked text.
    assert.equal((await post(approver, `${base}/records/${id}/approve`, {})).statusCode, 303);
    assert.equal((await post(approver, `${base}/records/${id}/publish`, {})).statusCode, 303);
    const portal = await get(null, `/agencies/${agency.slug}/records/${id}`);
    assert.equal(portal.statusCode, 200);
    assert.ok(portal.body.includes("138****1234"));
    assert.ok(portal.body.includes("11*************02X"));
    assert.ok(!portal.body.includes(PHONE) && !portal.body.includes(ID), "no cleartext on the portal");

    // The attachment: the public gets the masked text; staff keep the original file.
    const pub = await get(null, `/agencies/${agency.slug}/records/${id}/files/${attachment.id}`);
    assert.equal(pub.statusCode, 200);
    assert.match(String(pub.headers["content-type"]), /^text\/plain/);
    assert.ok(pub.body.includes("138****1234") && !pub.body.includes(PHONE));
    assert.match(decodeURIComponent(String(pub.headers["content-disposition"])), /送达回证（脱敏文本）\.txt/);
    const staff = await get(approver, `${base}/records/${id}/attachments/${attachment.id}`);
    assert.equal(staff.statusCode, 200);
    assert.match(String(staff.headers["content-type"]), /wordprocessingml/);
    assert.ok(portal.body.includes("送达回证（脱敏文本）.txt"));

    // Each mask is audited with the kind and place, never the value.
    const audits = await db
      .selectFrom("audit_events")
      .select(["summary", "after_json"])
      .where("action", "=", "record.mask")
      .where("entity_id", "=", id)
      .execute();
    assert.equal(audits.length, 3);
    const text = JSON.stringify(audits);
    assert.ok(text.includes("mobile") && text.includes("resident_id"));
    assert.ok(!text.includes(PHONE) && !text.includes(ID), "no cleartext in the audit");
  });

  it("an empty or malformed mask form is a validation error; a role without record.mask is refused", async () => {
    const { id } = await createRecord(deps, staffActor(editor), agency.id, {
      title: "空表单测试",
      formedDate: "2026-03-10",
      itemId: items.policy!.id,
      bodyHtml: `<p>电话${PHONE}</p>`,
    });
    assert.equal((await post(editor, `${base}/records/${id}/mask`, {})).statusCode, 400);
    const handler = await createUser(db, { roles: ["request_handler"], agencyId: agency.id });
    const res = await post(handler, `${base}/records/${id}/mask`, {
      kind: "mobile",
      source: "body",
      start: "2",
      length: "11",
    });
    assert.equal(res.statusCode, 403);
    // The editor masks the draft before submitting.
    const ok = await post(editor, `${base}/records/${id}/mask`, {
      kind: "mobile",
      source: "body",
      start: "2",
      length: "11",
    });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const row = await db
      .selectFrom("records")
      .select("body_html")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(row.body_html, "<p>电话138****1234</p>");
  });
});

describe("强制检测: sensitive words and leaders' titles before sign-off", () => {
  it("blocking findings stop 审签 with a clear message; a warn word does not; a run reports published records", async () => {
    assert.equal(
      (await post(admin, `${base}/content-checks/words`, { words: "内部资料,禁用\n严打", severity: "warn" }))
        .statusCode,
      303,
    );
    const leader = (fields: Record<string, string>) => post(admin, `${base}/content-checks/leaders`, fields);
    assert.equal(
      (await leader({ name: "张三", title: "副局长", validFrom: "2020-01-01", validTo: "2025-12-31" }))
        .statusCode,
      303,
    );
    assert.equal(
      (await leader({ name: "张三", title: "局长", validFrom: "2026-01-01", validTo: "" })).statusCode,
      303,
    );
    // A wrong date order keeps what was typed and says what to fix.
    const bad = await leader({
      name: "李四",
      title: "副局长",
      validFrom: "2026-02-01",
      validTo: "2026-01-01",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /终止日期不能早于起始日期/);
    assert.match(bad.body, /value="李四"/);
    // Only the agency's 政务公开办 keeps the lists.
    assert.equal((await get(editor, `${base}/content-checks`)).statusCode, 403);
    const lists = (await get(admin, `${base}/content-checks`)).body;
    assert.match(lists, /内部资料/);
    assert.match(lists, /严打/);

    const { id } = await createRecord(deps, staffActor(editor), agency.id, {
      title: "关于召开工作会议的通知",
      formedDate: "2026-03-10",
      itemId: items.policy!.id,
      bodyHtml: "<p>张三副局长出席会议并讲话。本文件为内部资料。开展严打。</p>",
    });
    await advanceRecord(deps, staffActor(editor), agency.id, id, "submit");
    await advanceRecord(deps, staffActor(reviewer), agency.id, id, "review", { checklist: FULL_CHECKLIST });
    const page = (await get(approver, `${base}/records/${id}`)).body;
    assert.match(page, /发布前检测：2处须改正（阻止审签发布），1处提示/);
    const refused = await post(approver, `${base}/records/${id}/approve`, {});
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /发布前检测发现2处须改正的问题/);
    assert.match(refused.body, /张三现任局长|已于2025-12-31结束/);
    assert.match(refused.body, /敏感词「内部资料」/);

    // Fixed text (send back, edit, resubmit): the warn word alone does not stop sign-off.
    await db
      .updateTable("record_revisions")
      .set({
        content: JSON.stringify({
          ...(
            await db
              .selectFrom("record_revisions")
              .select("content")
              .where("record_id", "=", id)
              .executeTakeFirstOrThrow()
          ).content,
          bodyHtml: "<p>张三局长出席会议并讲话。开展严打。</p>",
        }),
        body_text: "张三局长出席会议并讲话。开展严打。",
      })
      .where("record_id", "=", id)
      .execute();
    assert.equal((await post(approver, `${base}/records/${id}/approve`, {})).statusCode, 303);
    assert.equal((await post(approver, `${base}/records/${id}/publish`, {})).statusCode, 303);

    // The leader is promoted again: a run over published records now reports the title.
    await leader({ name: "张三", title: "党组书记", validFrom: "2026-03-01", validTo: "" });
    await db
      .updateTable("agency_leaders")
      .set({ valid_to: "2026-02-28" })
      .where("title", "=", "局长")
      .execute();
    assert.equal((await post(admin, `${base}/content-checks/runs`, {})).statusCode, 303);
    const report = await get(admin, `${base}/content-checks/report`);
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /关于召开工作会议的通知/);
    assert.match(report.body, /张三局长/);
    assert.match(report.body, /严打/);
    // Personal data of the first test's record is masked there; nothing else from it is reported.
    const csv = await get(admin, `${base}/content-checks/report.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /text\/csv/);
    assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM for Excel");
    const lines = csv.body
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    assert.equal(lines[0], "索引号,标题,类型,级别,位置,问题,链接");
    assert.ok(lines.some((l) => l.includes("领导职务") && l.includes("须改正")));
    assert.ok(!csv.body.includes(PHONE));
  });
});
