import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { csrfFromPage, signIn } from "../../test/auth.ts";
import { createAgency, createDepartment, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import type { Action } from "../accounts/policy.ts";
import { API_TOKEN_PREFIX, hashToken, newToken } from "../accounts/session.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";
import { useDemoIndexCode } from "./publishing.fixtures.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-routes-"));
const { app, db, deps } = await createTestApp({
  clock: fixedClock("2026-03-16T10:00:00+08:00"),
  config: { dataDir },
});
const agency = await createAgency(db, { name: "测试市人力资源和社会保障局" });
const dept = await createDepartment(db, agency.id, "就业促进股");
const items = await createPublishedCatalog(db, agency.id, [
  {
    key: "policy",
    name: "就业政策文件",
    deadline: "信息形成或者变更之日起20个工作日内",
    departmentId: dept.id,
  },
  { key: "subsidy", name: "就业补贴发放情况", deadline: "季度更新", departmentId: dept.id },
]);
await useDemoIndexCode(deps, agency.id, "DEMO-WEB");
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const q = `agency=${agency.slug}`;

function form(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}

async function post(user: TestUser, url: string, fields: Record<string, string | string[]>) {
  const s = await signIn(app, user);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: form({ _csrf: s.csrfToken, ...fields }),
  });
}

async function get(user: TestUser, url: string) {
  const s = await signIn(app, user);
  return app.inject({ url, headers: { cookie: s.cookie } });
}

function multipartBody(fileName: string, content: Buffer, type: string) {
  const boundary = `----gk${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function token(user: TestUser, scopes: Action[]): Promise<string> {
  const t = newToken(API_TOKEN_PREFIX);
  await db
    .insertInto("api_tokens")
    .values({
      user_id: user.id,
      name: "测试",
      prefix: t.slice(0, 10),
      token_hash: hashToken(t),
      scopes,
      created_at: new Date(),
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
    })
    .execute();
  return t;
}

const CHECKLIST = {
  noStateSecret: "1",
  noWorkSecret: "1",
  noPersonalPrivacy: "1",
  noTradeSecret: "1",
  noThreeSecurityRisk: "1",
  consistentWithPolicy: "1",
};

describe("admin UI: draft → published, each step by its role", () => {
  let id = "";

  it("the form is accessible and carries a CSRF token", async () => {
    const res = await get(editor, `/admin/agencies/${agency.slug}/records/new`);
    assert.equal(res.statusCode, 200);
    assert.ok(csrfFromPage(res.body));
    assert.match(res.body, /<label for="f-title">标题/);
    assert.match(res.body, /<label for="f-formedDate">成文（生成）日期/);
  });

  it("shows field-level errors", async () => {
    const res = await post(editor, `/admin/agencies/${agency.slug}/records`, {
      title: "",
      formedDate: "2026-13-01",
      issuingAgency: "x",
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="f-title"[^>]*aria-invalid="true"/);
    assert.match(res.body, /<p class="field-error" id="f-title-error">请填写标题<\/p>/);
    assert.match(res.body, /role="alert"/);
  });

  it("reads 决定件数 and 收费金额 typed with a Chinese input method (full-width) as numbers; refuses text", async () => {
    const fields = {
      title: "行政事业性收费公示",
      issuingAgency: agency.name,
      formedDate: "2026-03-02",
      docCategory: "administrative_fees",
    };
    const created = await post(editor, `/admin/agencies/${agency.slug}/records`, {
      ...fields,
      decisionCount: "\u3000１，２０３\u3000",
      feeAmountWan: "１２．５",
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 500));
    const newId = /records\/([0-9a-f-]{36})/.exec(created.headers.location as string)?.[1] as string;
    const stored = await db
      .selectFrom("record_revisions")
      .select("content")
      .where("record_id", "=", newId)
      .executeTakeFirstOrThrow();
    const content = stored.content as { decisionCount: number; feeAmountWan: number | null };
    assert.equal(content.decisionCount, 1203);
    assert.equal(content.feeAmountWan, 12.5);
    const bad = await post(editor, `/admin/agencies/${agency.slug}/records`, {
      ...fields,
      decisionCount: "－３",
      feeAmountWan: "十二万",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /决定数量应为整数/);
    assert.match(bad.body, /收费金额应为数字/);
  });

  it("rejects a form without the CSRF token", async () => {
    const s = await signIn(app, editor);
    const res = await app.inject({
      method: "POST",
      url: `/admin/agencies/${agency.slug}/records`,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: form({ title: "无令牌" }),
    });
    assert.equal(res.statusCode, 403);
  });

  it("editor drafts and submits; reviewer reviews; approver approves and publishes", async () => {
    const created = await post(editor, `/admin/agencies/${agency.slug}/records`, {
      kind: "document",
      title: "关于发布2026年度社会保险缴费基数上下限的通知",
      summary: "公布2026年度全市社会保险缴费基数上下限。",
      issuingAgency: agency.name,
      docNumber: "测人社发〔2026〕3号",
      formedDate: "2026-03-02",
      itemId: items.policy!.id,
      keywords: "社会保险 缴费基数",
      disclosure: "主动公开",
      genre: "通知",
      topic: "社会保障",
      bodyHtml: "<p>各参保单位：</p><p>现将2026年度社会保险缴费基数上下限公布如下……</p>",
    });
    assert.equal(created.statusCode, 303, created.body);
    id =
      /\/admin\/agencies\/[a-z0-9-]+\/records\/([0-9a-f-]{36})/.exec(
        created.headers.location as string,
      )?.[1] ?? "";
    assert.ok(id);

    const up = multipartBody("缴费基数表.pdf", Buffer.from("%PDF-1.4\n%%EOF\n"), "application/pdf");
    const s = await signIn(app, editor);
    const upload = await app.inject({
      method: "POST",
      url: `/admin/agencies/${agency.slug}/records/${id}/attachments`,
      headers: { ...s.headers, "content-type": up.contentType },
      payload: up.body,
    });
    assert.equal(upload.statusCode, 303, upload.body);
    const bad = multipartBody("病毒.pdf", Buffer.from("MZ not a pdf"), "application/pdf");
    const rejected = await app.inject({
      method: "POST",
      url: `/admin/agencies/${agency.slug}/records/${id}/attachments`,
      headers: { ...s.headers, "content-type": bad.contentType },
      payload: bad.body,
    });
    assert.equal(rejected.statusCode, 415);
    assert.match(rejected.body, /文件内容与扩展名/);

    assert.equal(
      (await post(editor, `/admin/agencies/${agency.slug}/records/${id}/submit`, {})).statusCode,
      303,
    );
    assert.equal(
      (await post(editor, `/admin/agencies/${agency.slug}/records/${id}/review`, CHECKLIST)).statusCode,
      403,
    );
    const incomplete = await post(reviewer, `/admin/agencies/${agency.slug}/records/${id}/review`, {
      noStateSecret: "1",
    });
    assert.equal(incomplete.statusCode, 400);
    assert.match(incomplete.body, /aria-invalid="true" aria-describedby="f-checklist-noWorkSecret-error"/);
    assert.equal(
      (await post(reviewer, `/admin/agencies/${agency.slug}/records/${id}/review`, CHECKLIST)).statusCode,
      303,
    );
    assert.equal(
      (await post(reviewer, `/admin/agencies/${agency.slug}/records/${id}/approve`, {})).statusCode,
      403,
    );
    assert.equal(
      (await post(approver, `/admin/agencies/${agency.slug}/records/${id}/approve`, {})).statusCode,
      303,
    );
    assert.equal(
      (await post(editor, `/admin/agencies/${agency.slug}/records/${id}/publish`, {})).statusCode,
      403,
    );
    const published = await post(approver, `/admin/agencies/${agency.slug}/records/${id}/publish`, {});
    assert.equal(published.statusCode, 303);

    const page = await get(editor, `/admin/agencies/${agency.slug}/records/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /DEMO-WEB\/2026-00001/);
    assert.match(page.body, /按时发布/);
    assert.match(page.body, /审核通过/);
  });

  it("the public sees the record with its metadata and can download the attachment", async () => {
    const res = await app.inject({ url: `/agencies/${agency.slug}/records/${id}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /关于发布2026年度社会保险缴费基数上下限的通知/);
    assert.match(res.body, /DEMO-WEB\/2026-00001/);
    assert.match(res.body, /测人社发〔2026〕3号/);
    const href = /href="(\/agencies\/[^"]+\/files\/[0-9a-f-]{36})"/.exec(res.body)?.[1];
    assert.ok(href, "attachment link on the public page");
    const file = await app.inject({ url: href });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers["content-type"], "application/pdf");
    assert.match(String(file.headers["content-disposition"]), /filename\*=UTF-8''/);
  });

  it("withdrawal with a reason takes it off the portal", async () => {
    const noReason = await post(admin, `/admin/agencies/${agency.slug}/records/${id}/withdraw`, {
      reason: "",
    });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /请填写撤回理由/);
    assert.equal(
      (await post(admin, `/admin/agencies/${agency.slug}/records/${id}/withdraw`, { reason: "误发" }))
        .statusCode,
      303,
    );
    assert.equal((await app.inject({ url: `/agencies/${agency.slug}/records/${id}` })).statusCode, 404);
  });

  it("lists, obligations, notices, settings and compliance pages render", async () => {
    for (const url of [
      `/admin/agencies/${agency.slug}/records`,
      `/admin/agencies/${agency.slug}/records/obligations`,
      `/admin/agencies/${agency.slug}/notices`,
      `/admin/agencies/${agency.slug}/compliance`,
      `/admin/agencies/${agency.slug}/compliance?print=1`,
    ]) {
      const res = await get(admin, url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    }
    const settings = await get(admin, `/admin/agencies/${agency.slug}/records/settings`);
    assert.equal(settings.statusCode, 200);
    assert.match(settings.body, /演示用机关代码/);
    const old = await get(admin, `/admin/compliance?${q}&print=1`);
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `/admin/agencies/${agency.slug}/compliance?print=1`);
    const compliance = await get(admin, `/admin/agencies/${agency.slug}/compliance`);
    assert.match(compliance.body, /<svg[^>]*role="img"[^>]*aria-labelledby="trend-title trend-desc"/);
    assert.match(compliance.body, /空白栏目/);
    assert.equal((await get(editor, `/admin/agencies/${agency.slug}/records/settings`)).statusCode, 403);
  });

  it("supervisors see their region's agencies, read-only", async () => {
    const supervisor = await createUser(db, { roles: ["supervisor"], regionId: agency.regionId });
    const one = await get(supervisor, "/admin/compliance");
    assert.equal(one.statusCode, 301, "a region of one agency goes straight to its report");
    const report = await get(supervisor, one.headers.location as string);
    assert.equal(report.statusCode, 200);
    assert.match(report.body, new RegExp(agency.name));
    await createAgency(db, { regionId: agency.regionId });
    const overview = await get(supervisor, "/admin/compliance");
    assert.equal(overview.statusCode, 200);
    assert.match(overview.body, new RegExp(agency.name));
    const other = await createAgency(db);
    assert.equal((await get(supervisor, `/admin/agencies/${other.slug}/compliance`)).statusCode, 404);
    const refused = await post(supervisor, `/admin/agencies/${agency.slug}/records`, {
      title: "监督不能起草",
    });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /value="监督不能起草"/, "a refused form keeps what was typed");
    assert.match(refused.body, /您没有执行此操作的权限/);
  });

  it("old URLs redirect to the agency's path (301 GET, 308 POST); another agency's record is a 404", async () => {
    const page = await get(editor, `/admin/records/${id}`);
    assert.equal(page.statusCode, 301);
    assert.equal(page.headers.location, `/admin/agencies/${agency.slug}/records/${id}`);
    const list = await get(editor, `/admin/records?agency=${agency.slug}&status=draft`);
    assert.equal(list.statusCode, 301);
    assert.equal(list.headers.location, `/admin/agencies/${agency.slug}/records?status=draft`);
    const notices = await get(editor, "/admin/notices");
    assert.equal(notices.headers.location, `/admin/agencies/${agency.slug}/notices`);
    const step = await post(admin, `/admin/records/${id}/withdraw?agency=${agency.slug}`, { reason: "x" });
    assert.equal(step.statusCode, 308);
    assert.equal(step.headers.location, `/admin/agencies/${agency.slug}/records/${id}/withdraw`);
    const other = await createAgency(db);
    assert.equal((await get(editor, `/admin/agencies/${other.slug}/records/${id}`)).statusCode, 404);
  });
});

describe("API with a token", () => {
  it("creates, submits, reviews, approves and publishes; documented in OpenAPI", async () => {
    const editorToken = await token(editor, ["record.read", "record.draft"]);
    const reviewerToken = await token(reviewer, ["record.read", "record.review"]);
    const approverToken = await token(approver, ["record.read", "record.approve", "record.publish"]);
    const api = (
      t: string,
      method: "GET" | "POST" | "PATCH",
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${t}`, ...headers },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const base = `/api/v1/agencies/${agency.slug}/records`;
    const created = await api(editorToken, "POST", base, {
      title: "2026年第一季度就业补贴发放情况公示",
      formedDate: "2026-03-10",
      itemId: items.subsidy!.id,
      bodyText: "第一季度全市共发放就业补贴……\n\n特此公示。",
    });
    assert.equal(created.statusCode, 201, created.body);
    const rec = created.json();
    assert.equal(rec.revision.status, "draft");
    assert.equal(rec.content.bodyHtml, "<p>第一季度全市共发放就业补贴……</p>\n<p>特此公示。</p>");
    const invalid = await api(editorToken, "POST", base, { title: "", formedDate: "2026-03-10" });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error.code, "validation_failed");

    // Draft updates name the draft they were made on (If-Match: the ETag of the read): no lost update.
    const etag = created.headers.etag as string;
    assert.match(etag, /^"[0-9a-f]{32}"$/, "a write's answer carries the record's ETag");
    assert.equal((await api(editorToken, "GET", `${base}/${rec.id}`)).headers.etag, etag, "so does a read");
    // Without If-Match: saved over whatever is stored, as before the ETag (integrations written then keep working),
    // and the answer carries the new ETag.
    const blind = await api(editorToken, "PATCH", `${base}/${rec.id}`, { summary: "未带 If-Match" });
    assert.equal(blind.statusCode, 200, blind.body);
    assert.equal(blind.json().content.summary, "未带 If-Match");
    assert.notEqual(blind.headers.etag, etag);
    const patched = await api(
      editorToken,
      "PATCH",
      `${base}/${rec.id}`,
      { summary: "一季度就业补贴公示" },
      { "if-match": blind.headers.etag as string },
    );
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().content.summary, "一季度就业补贴公示");
    const next = patched.headers.etag as string;
    assert.notEqual(next, etag, "the save changed the ETag");
    // A second client that read the draft before that save: refused, nothing saved.
    const stale = await api(
      editorToken,
      "PATCH",
      `${base}/${rec.id}`,
      { summary: "过期的修改" },
      { "if-match": etag },
    );
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.json().error.code, "record_precondition_failed");
    assert.equal(
      (await api(editorToken, "GET", `${base}/${rec.id}`)).json().content.summary,
      "一季度就业补贴公示",
    );
    // Any of several tags may match; a weakened tag (a compressing proxy) still names the draft; * overwrites.
    const listed = await api(
      editorToken,
      "PATCH",
      `${base}/${rec.id}`,
      { summary: "一季度就业补贴公示（二）" },
      { "if-match": `"0000", W/${next}` },
    );
    assert.equal(listed.statusCode, 200, listed.body);
    const forced = await api(
      editorToken,
      "PATCH",
      `${base}/${rec.id}`,
      { summary: "一季度就业补贴公示" },
      { "if-match": "*" },
    );
    assert.equal(forced.statusCode, 200);
    assert.equal(forced.json().content.summary, "一季度就业补贴公示");
    // A workflow step with an If-Match of an older read is not applied; with the current ETag it is.
    const stepStale = await api(editorToken, "POST", `${base}/${rec.id}/submit`, {}, { "if-match": etag });
    assert.equal(stepStale.statusCode, 412);
    assert.equal(stepStale.json().error.code, "record_precondition_failed");
    assert.equal(
      (await api(editorToken, "GET", `${base}/${rec.id}`)).json().revision.status,
      "draft",
      "not submitted",
    );
    const submitted = await api(
      editorToken,
      "POST",
      `${base}/${rec.id}/submit`,
      {},
      { "if-match": forced.headers.etag as string },
    );
    assert.equal(submitted.statusCode, 200, submitted.body);
    assert.equal((await api(editorToken, "POST", `${base}/${rec.id}/review`, {})).statusCode, 403, "scope");
    const incomplete = await api(reviewerToken, "POST", `${base}/${rec.id}/review`, {
      checklist: {
        noStateSecret: true,
        noWorkSecret: true,
        noPersonalPrivacy: false,
        noTradeSecret: true,
        noThreeSecurityRisk: true,
        consistentWithPolicy: true,
      },
    });
    assert.equal(incomplete.statusCode, 400);
    assert.equal(incomplete.json().error.code, "record_checklist_incomplete");
    const reviewed = await api(reviewerToken, "POST", `${base}/${rec.id}/review`, {
      checklist: {
        noStateSecret: true,
        noWorkSecret: true,
        noPersonalPrivacy: true,
        noTradeSecret: true,
        noThreeSecurityRisk: true,
        consistentWithPolicy: true,
      },
    });
    assert.equal(reviewed.json().revision.status, "reviewed");
    assert.equal((await api(approverToken, "POST", `${base}/${rec.id}/approve`, {})).statusCode, 200);
    const pub = await api(approverToken, "POST", `${base}/${rec.id}/publish`, {});
    assert.equal(pub.statusCode, 200, pub.body);
    assert.equal(pub.json().status, "published");
    assert.match(pub.json().indexNo, /^DEMO-WEB\/2026-\d{5}$/);
    assert.equal(pub.json().url, `/agencies/${agency.slug}/records/${rec.id}`);

    const list = await api(editorToken, "GET", `${base}/worklist?status=published`);
    assert.ok(list.json().items.some((r: { id: string }) => r.id === rec.id));
    const other = await createAgency(db);
    assert.equal(
      (await api(editorToken, "GET", `/api/v1/agencies/${other.slug}/records/worklist`)).statusCode,
      404,
    );
    assert.equal((await app.inject({ url: `${base}/worklist` })).statusCode, 401);

    const spec = await app.inject({ url: "/api/v1/openapi.json" });
    assert.equal(spec.statusCode, 200);
    const paths = spec.json().paths as Record<string, Record<string, unknown>>;
    assert.ok(paths["/api/v1/agencies/{slug}/records"]?.post);
    assert.ok(paths["/api/v1/agencies/{slug}/records/{id}/publish"]?.post);
  });
});
