import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { Document, Packer, Paragraph } from "docx";
import { createAgency, createDepartment, createUser, type TestUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { type StaffActor, staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog, type FixtureItem } from "../catalog/catalog.fixtures.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { fixedClock } from "../shared/clock.ts";
import { useDemoIndexCode } from "./publishing.fixtures.ts";
import { addAttachment } from "./record-attachment.service.ts";
import { createRecord, reviseRecord, updateDraft } from "./record-draft.service.ts";
import { getPublishedRecord, getRecordForStaff, listPublishedRecords } from "./record-query.service.ts";
import { advanceRecord, returnRecord, withdrawRecord } from "./record-workflow.service.ts";

const FULL_CHECKLIST = {
  noStateSecret: true,
  noWorkSecret: true,
  noPersonalPrivacy: true,
  noTradeSecret: true,
  noThreeSecurityRisk: true,
  consistentWithPolicy: true,
};

async function rejects(p: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AppError, `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

/** A minimal text PDF (one page, Helvetica) whose text is `text` (ASCII). */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-pub-"));
const deps: Deps = await createTestDeps({
  clock: fixedClock("2026-03-16T10:00:00+08:00"),
  config: { dataDir },
});
const agencyId = (await createAgency(deps.db, { name: "测试市人力资源和社会保障局" })).id;
const dept = await createDepartment(deps.db, agencyId, "就业促进股");
const items: Record<string, FixtureItem> = await createPublishedCatalog(deps.db, agencyId, [
  { key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内", departmentId: dept.id },
  { key: "interp", name: "政策解读", deadline: "政策文件公开后3个工作日内" },
]);
const editor: TestUser = await createUser(deps.db, { roles: ["editor"], agencyId });
const reviewer: TestUser = await createUser(deps.db, { roles: ["reviewer"], agencyId });
const approver: TestUser = await createUser(deps.db, { roles: ["approver"], agencyId });
const admin: TestUser = await createUser(deps.db, { roles: ["agency_admin"], agencyId });
await useDemoIndexCode(deps, agencyId, "DEMO-TEST");
const as = (u: TestUser): StaffActor => staffActor(u, "127.0.0.1");

describe("publishing workflow (service)", () => {
  async function draft(title: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { id } = await createRecord(deps, as(editor), agencyId, {
      title,
      formedDate: "2026-03-02",
      itemId: items.policy!.id,
      summary: "测试内容概述",
      bodyHtml: "<p>正文内容。</p>",
      ...extra,
    });
    return id;
  }

  async function toApproved(id: string, piiOverrideReason?: string): Promise<void> {
    await advanceRecord(deps, as(editor), agencyId, id, "submit");
    await advanceRecord(deps, as(reviewer), agencyId, id, "review", { checklist: FULL_CHECKLIST });
    await advanceRecord(
      deps,
      as(approver),
      agencyId,
      id,
      "approve",
      piiOverrideReason ? { piiOverrideReason } : {},
    );
  }

  it("goes draft → submitted → reviewed → approved → published, each step by its role", async () => {
    await rejects(createRecord(deps, as(reviewer), agencyId, { title: "审核人不能起草" }), "forbidden");
    const id = await draft("关于发布2026年度社会保险缴费基数上下限的通知", {
      bodyHtml: '<p onclick="x()">正文<script>alert(1)</script></p>',
      keywords: ["社会保险", "缴费基数"],
      docNumber: "测人社发〔2026〕5号",
    });
    await rejects(
      advanceRecord(deps, as(editor), agencyId, id, "review", { checklist: FULL_CHECKLIST }),
      "forbidden",
    );
    await advanceRecord(deps, as(editor), agencyId, id, "submit");
    await rejects(advanceRecord(deps, as(editor), agencyId, id, "submit"), "record_invalid_transition");
    const incomplete = await rejects(
      advanceRecord(deps, as(reviewer), agencyId, id, "review", { checklist: { noStateSecret: true } }),
      "record_checklist_incomplete",
    );
    assert.ok(incomplete.fields.some((f) => f.field === "checklist.noPersonalPrivacy"));
    await advanceRecord(deps, as(reviewer), agencyId, id, "review", { checklist: FULL_CHECKLIST });
    await rejects(advanceRecord(deps, as(reviewer), agencyId, id, "approve"), "forbidden");
    await advanceRecord(deps, as(approver), agencyId, id, "approve");
    await rejects(advanceRecord(deps, as(editor), agencyId, id, "publish"), "forbidden");
    const result = await advanceRecord(deps, as(approver), agencyId, id, "publish");
    assert.equal(result.status, "published");
    assert.match(result.indexNo ?? "", /^DEMO-TEST\/2026-\d{5}$/);

    const pub = await getPublishedRecord(deps.db, agencyId, id);
    assert.equal(pub.title, "关于发布2026年度社会保险缴费基数上下限的通知");
    assert.equal(pub.indexNo, result.indexNo);
    assert.equal(pub.publishedDate, "2026-03-16");
    assert.equal(pub.issuingAgency, "测试市人力资源和社会保障局");
    assert.equal(pub.docNumber, "测人社发〔2026〕5号");
    assert.deepEqual(pub.keywords, ["社会保险", "缴费基数"]);
    assert.equal(pub.itemStableKey, "policy");
    assert.equal(pub.bodyHtml, "<p>正文</p>", "body is sanitised");
    assert.equal(pub.indexCodeIsDemo, true);

    const detail = await getRecordForStaff(deps, agencyId, id);
    // 2026-03-02 + 20 working days (no holiday in March 2026) = 2026-03-30; published 03-16 → on time.
    assert.equal(detail.record.due_date, "2026-03-30");
    assert.equal(detail.record.late, false);
    assert.ok(detail.record.due_explanation.includes("20个工作日"));
    assert.deepEqual(
      detail.events.map((e) => e.action),
      ["create", "submit", "review", "approve", "publish"],
    );
    const audit = await deps.db
      .selectFrom("audit_events")
      .select(["action", "actor_id"])
      .where("entity_id", "=", id)
      .orderBy("seq")
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ["record.create", "record.submit", "record.review", "record.approve", "record.publish"],
    );
    assert.equal(audit[2]?.actor_id, reviewer.id);
    assert.equal(audit[4]?.actor_id, approver.id);
  });

  it("counts a record published after its due date as late", async () => {
    // Formed 2026-01-05: 20 working days end before the Spring Festival; published 2026-03-16.
    const id = await draft("2025年度全市就业创业工作总结", { formedDate: "2026-01-05" });
    await toApproved(id);
    await advanceRecord(deps, as(admin), agencyId, id, "publish");
    const { record } = await getRecordForStaff(deps, agencyId, id);
    assert.equal(record.due_date, "2026-02-02");
    assert.equal(record.late, true);
  });

  it("sends back at each step with a reason", async () => {
    const id = await draft("退回测试");
    await advanceRecord(deps, as(editor), agencyId, id, "submit");
    const noReason = await rejects(returnRecord(deps, as(reviewer), agencyId, id, " "), "validation_failed");
    assert.equal(noReason.fields[0]?.field, "reason");
    await rejects(returnRecord(deps, as(editor), agencyId, id, "编辑不能退回"), "forbidden");
    await returnRecord(deps, as(reviewer), agencyId, id, "文号有误");
    let d = await getRecordForStaff(deps, agencyId, id);
    assert.equal(d.revision.status, "draft");
    assert.equal(d.revision.returned_reason, "文号有误");
    await updateDraft(deps, as(editor), agencyId, id, { docNumber: "测人社发〔2026〕6号" });
    await advanceRecord(deps, as(editor), agencyId, id, "submit");
    await advanceRecord(deps, as(reviewer), agencyId, id, "review", { checklist: FULL_CHECKLIST });
    await returnRecord(deps, as(approver), agencyId, id, "请补充政策依据");
    d = await getRecordForStaff(deps, agencyId, id);
    assert.equal(d.revision.status, "draft");
    assert.equal(d.revision.reviewed_by, null, "the review must be redone");
    await toApproved(id);
    await returnRecord(deps, as(admin), agencyId, id, "发布前发现附件缺失");
    d = await getRecordForStaff(deps, agencyId, id);
    assert.equal(d.revision.status, "draft");
    assert.equal(d.events.filter((e) => e.action === "return").length, 3);
    await rejects(
      returnRecord(deps, as(reviewer), agencyId, id, "草稿不能退回"),
      "record_invalid_transition",
    );
  });

  it("blocks personal data with positions unless the approver overrides with a reason", async () => {
    const id = await draft("关于2026年3月失业保险金发放情况的公示", {
      bodyHtml: "<p>发放对象：</p><p>张三，身份证号11010519491231002X，电话13812345678。</p>",
    });
    await advanceRecord(deps, as(editor), agencyId, id, "submit");
    await advanceRecord(deps, as(reviewer), agencyId, id, "review", { checklist: FULL_CHECKLIST });
    const blocked = await rejects(
      advanceRecord(deps, as(approver), agencyId, id, "approve"),
      "record_personal_data_found",
    );
    const findings = blocked.details?.findings as {
      kind: string;
      place: string;
      line: number;
      masked: string;
    }[];
    assert.deepEqual(
      findings.map((f) => [f.kind, f.place, f.line, f.masked]),
      [
        ["resident_id", "正文", 2, "11*************02X"],
        ["mobile", "正文", 2, "138****5678"],
      ],
    );
    assert.ok(!JSON.stringify(blocked.details).includes("13812345678"), "full numbers never leave the scan");
    await advanceRecord(deps, as(approver), agencyId, id, "approve", {
      piiOverrideReason: "公示对象已书面同意公开",
    });
    await advanceRecord(deps, as(admin), agencyId, id, "publish");
    const d = await getRecordForStaff(deps, agencyId, id);
    assert.equal(d.record.status, "published");
    assert.equal(d.revision.pii_override_reason, "公示对象已书面同意公开");
    assert.ok(d.events.some((e) => e.action === "pii_override" && e.actor_id === approver.id));
  });

  it("scans attachment text (PDF, DOCX) and rejects files whose content does not match the extension", async () => {
    const id = await draft("附件扫描测试");
    await rejects(
      addAttachment(deps, as(editor), agencyId, id, {
        fileName: "名单.pdf",
        data: Buffer.from("not a pdf at all"),
      }),
      "upload_rejected",
    );
    const pdf = await addAttachment(deps, as(editor), agencyId, id, {
      fileName: "名单.pdf",
      data: minimalPdf("Contact 13912345678"),
    });
    assert.equal(pdf.file_type, "pdf");
    assert.match(pdf.sha256, /^[0-9a-f]{64}$/);
    assert.ok(fs.existsSync(path.join(deps.config.dataDir, "uploads", agencyId, pdf.sha256)));
    const docx = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph("收款账号6222021234567890128")] }] }),
    );
    await addAttachment(deps, as(editor), agencyId, id, { fileName: "账户.docx", data: docx });
    await advanceRecord(deps, as(editor), agencyId, id, "submit");
    await advanceRecord(deps, as(reviewer), agencyId, id, "review", { checklist: FULL_CHECKLIST });
    const blocked = await rejects(
      advanceRecord(deps, as(approver), agencyId, id, "approve"),
      "record_personal_data_found",
    );
    const findings = blocked.details?.findings as { kind: string; place: string }[];
    assert.deepEqual(
      findings.map((f) => [f.kind, f.place]),
      [
        ["mobile", "附件《名单.pdf》"],
        ["bank_card", "附件《账户.docx》"],
      ],
    );
  });

  it("edits of a published record make a new revision; the public sees the current one", async () => {
    const id = await draft("2026年第一季度就业补贴发放情况公示");
    await toApproved(id);
    const first = await advanceRecord(deps, as(approver), agencyId, id, "publish");
    const no = await reviseRecord(deps, as(editor), agencyId, id);
    assert.equal(no, 2);
    await rejects(reviseRecord(deps, as(editor), agencyId, id), "record_revision_open");
    await updateDraft(deps, as(editor), agencyId, id, {
      title: "2026年第一季度就业补贴发放情况公示（更正）",
    });
    assert.equal(
      (await getPublishedRecord(deps.db, agencyId, id)).title,
      "2026年第一季度就业补贴发放情况公示",
    );
    await toApproved(id);
    await advanceRecord(deps, as(approver), agencyId, id, "publish");
    const pub = await getPublishedRecord(deps.db, agencyId, id);
    assert.equal(pub.title, "2026年第一季度就业补贴发放情况公示（更正）");
    assert.equal(pub.indexNo, first.indexNo, "the 索引号 is permanent");
    assert.equal(pub.revisionNo, 2);
    const d = await getRecordForStaff(deps, agencyId, id);
    assert.deepEqual(
      d.revisions.map((r) => [r.revision_no, r.status]),
      [
        [2, "published"],
        [1, "superseded"],
      ],
    );
  });

  it("withdrawal needs a reason, removes the record from the portal and stays in the audit", async () => {
    const id = await draft("撤回测试");
    await toApproved(id);
    const { indexNo } = await advanceRecord(deps, as(approver), agencyId, id, "publish");
    await rejects(withdrawRecord(deps, as(admin), agencyId, id, ""), "validation_failed");
    await rejects(withdrawRecord(deps, as(editor), agencyId, id, "编辑不能撤回"), "forbidden");
    await withdrawRecord(deps, as(admin), agencyId, id, "文件已被新文件替代，误发");
    await rejects(getPublishedRecord(deps.db, agencyId, id), "record_not_found");
    const list = await listPublishedRecords(deps.db, { agencyId, page: 1, pageSize: 100 });
    assert.ok(!list.items.some((r) => r.id === id));
    const audit = await deps.db
      .selectFrom("audit_events")
      .select(["summary"])
      .where("entity_id", "=", id)
      .where("action", "=", "record.withdraw")
      .executeTakeFirstOrThrow();
    assert.ok(audit.summary.includes("误发"));
    // The number is never reused: the next publication gets a new one.
    const next = await draft("撤回后的新文件");
    await toApproved(next);
    const r = await advanceRecord(deps, as(approver), agencyId, next, "publish");
    assert.notEqual(r.indexNo, indexNo);
  });

  it("gives unique, gap-free 索引号 under concurrent publishing", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = await draft(`并发发布测试${i}`);
      await toApproved(id);
      ids.push(id);
    }
    const results = await Promise.all(
      ids.map((id) => advanceRecord(deps, as(approver), agencyId, id, "publish")),
    );
    const serials = results.map((r) => Number(r.indexNo?.split("-").at(-1))).sort((a, b) => a - b);
    assert.equal(new Set(serials).size, 8, "unique");
    for (let i = 1; i < serials.length; i++) assert.equal(serials[i], serials[i - 1]! + 1, "consecutive");
  });

  it("links a policy interpretation and its policy both ways; its deadline runs from the policy's publication", async () => {
    const policy = await draft("关于进一步做好稳就业工作的若干措施");
    await toApproved(policy);
    await advanceRecord(deps, as(approver), agencyId, policy, "publish");
    const { id } = await createRecord(deps, as(editor), agencyId, {
      kind: "interpretation",
      title: "《关于进一步做好稳就业工作的若干措施》政策解读",
      formedDate: "2026-03-16",
      itemId: items.interp!.id,
      interpretsRecordIds: [policy],
      bodyHtml: "<p>一、出台背景……</p>",
    });
    await toApproved(id);
    await advanceRecord(deps, as(approver), agencyId, id, "publish");
    const interp = await getPublishedRecord(deps.db, agencyId, id);
    assert.deepEqual(
      interp.interprets.map((p) => p.id),
      [policy],
    );
    const pol = await getPublishedRecord(deps.db, agencyId, policy);
    assert.deepEqual(
      pol.interpretations.map((p) => p.id),
      [id],
    );
    const d = await getRecordForStaff(deps, agencyId, id);
    // Policy published 2026-03-16 (Monday) + 3 working days = 2026-03-19.
    assert.equal(d.record.due_date, "2026-03-19");
    assert.equal(d.record.late, false);
  });

  it("publishes only 主动公开 information", async () => {
    const id = await draft("依申请公开的信息", { disclosure: "依申请公开" });
    await toApproved(id);
    await rejects(advanceRecord(deps, as(approver), agencyId, id, "publish"), "record_not_proactive");
  });

  it("publishes on the date of the clock (backdated publishing for a fixed clock)", async () => {
    const past = { ...deps, clock: fixedClock("2025-06-10T10:00:00+08:00") };
    const { id } = await createRecord(past, as(editor), agencyId, {
      title: "2025年5月全市城镇新增就业情况",
      formedDate: "2025-06-03",
      itemId: items.policy!.id,
      bodyHtml: "<p>5月全市城镇新增就业1234人。</p>",
    });
    await advanceRecord(past, as(editor), agencyId, id, "submit");
    await advanceRecord(past, as(reviewer), agencyId, id, "review", { checklist: FULL_CHECKLIST });
    await advanceRecord(past, as(approver), agencyId, id, "approve");
    const r = await advanceRecord(past, as(approver), agencyId, id, "publish");
    assert.match(r.indexNo ?? "", /^DEMO-TEST\/2025-00001$/, "serials are per year");
    assert.equal((await getPublishedRecord(deps.db, agencyId, id)).publishedDate, "2025-06-10");
  });
});
