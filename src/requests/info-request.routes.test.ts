import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { csrfFromPage, mergeCookies, signIn } from "../../test/auth.ts";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { type Clock, fixedClock } from "../shared/clock.ts";

// The whole path over HTTP with a fixed clock: the applicant applies on the portal on Friday 2025-09-26, a handler
// confirms, asks for a correction, registers it, replies; the applicant follows each step on the status page.
let today = "2025-09-26";
const clock: Clock = {
  now: () => fixedClock(`${today}T10:00:00+08:00`).now(),
  today: () => today,
};
const { app, db } = await createTestApp({ clock });
const agency = await createAgency(db, { name: "测试市人力资源和社会保障局" });
await fillGuideContact(db, agency.id);
const handler = await createUser(db, {
  roles: ["request_handler"],
  agencyId: agency.id,
  displayName: "王经办",
});
const head = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id, displayName: "赵主任" });
let staff = await signIn(app, handler);

/** Moves the clock; sessions are idle-limited by the same clock, so sign in again. */
async function setDay(day: string): Promise<void> {
  today = day;
  staff = await signIn(app, handler);
}

const ID = "11010519491231002X";

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

const FORM_HEADERS = { "content-type": "application/x-www-form-urlencoded" };

const application = {
  applicantType: "natural_person",
  name: "张三",
  idType: "resident_id",
  idNumber: ID,
  phone: "13812345678",
  email: "zhang@example.com",
  address: "",
  postalCode: "",
  infoTitle: "2024年度就业补助资金分配结果",
  infoDocNumber: "",
  infoDescription: "",
  form: "electronic",
  delivery: "email",
};

/** A visitor: GET the form (cookie + CSRF token), then POST. */
async function visitorPost(url: string, formUrl: string, values: Record<string, string>) {
  const page = await app.inject({ url: formUrl });
  const token = csrfFromPage(page.body);
  assert.ok(token, "the form carries a CSRF token");
  const cookie = mergeCookies("", page.headers["set-cookie"]);
  return app.inject({
    method: "POST",
    url,
    headers: { ...FORM_HEADERS, cookie },
    payload: form({ _csrf: token, ...values }),
  });
}

async function staffPost(
  url: string,
  values: Record<string, string>,
  as?: { cookie: string; csrfToken: string },
) {
  const who = as ?? staff;
  return app.inject({
    method: "POST",
    url,
    headers: { ...FORM_HEADERS, cookie: who.cookie },
    payload: form({ _csrf: who.csrfToken, ...values }),
  });
}

async function currentVersion(id: string): Promise<string> {
  const row = await db
    .selectFrom("info_requests")
    .select("version")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return String(row.version);
}

/** The applicant's look-up: 303 to the secure page with its session cookie, which is then shown (or the 404). */
async function status(code: string, last4 = "5678") {
  const res = await visitorPost("/apply/status", "/apply/status", { code, last4 });
  if (res.statusCode !== 303) return res;
  const cookie = mergeCookies("", res.headers["set-cookie"]);
  return app.inject({ url: String(res.headers.location), headers: { cookie } });
}

const base = `/admin/agencies/${agency.slug}/requests`;

describe("the portal form, the handler's steps and the status page", () => {
  let queryCode = "";
  let id = "";

  it("every route of the feature declares a policy", () => {
    const mine = app.routeTable.filter((r) => r.url.includes("/requests") || r.url.includes("/apply"));
    assert.ok(mine.length >= 20);
    for (const r of mine) assert.ok(r.policy, `${r.method} ${r.url} declares config.policy`);
  });

  it("the form works without JavaScript and loads only an external script", async () => {
    const res = await app.inject({ url: `/agencies/${agency.slug}/apply` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /name="_csrf"/);
    assert.match(res.body, /<script src="\/static\/apply\.js" defer><\/script>/);
    assert.doesNotMatch(res.body, /<script>/);
    assert.match(res.body, /先查一查/);
    const js = await app.inject({ url: "/static/apply.js" });
    assert.equal(js.statusCode, 200);
  });

  it("先查一查 searches before submitting and keeps what was typed", async () => {
    const res = await visitorPost(`/agencies/${agency.slug}/apply`, `/agencies/${agency.slug}/apply`, {
      ...application,
      step: "search",
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="possible-answers"/);
    assert.match(res.body, /value="2024年度就业补助资金分配结果"/);
    assert.equal(
      await db.selectFrom("info_requests").select("id").where("agency_id", "=", agency.id).executeTakeFirst(),
      undefined,
    );
    const json = await app.inject({
      url: `/agencies/${agency.slug}/apply/suggestions?q=${encodeURIComponent("就业补助")}`,
    });
    assert.equal(json.statusCode, 200);
    assert.deepEqual(Object.keys(json.json()), ["answers"]);
  });

  it("rejects a bad identity number with a field error, and a missing CSRF token", async () => {
    const bad = await visitorPost(`/agencies/${agency.slug}/apply`, `/agencies/${agency.slug}/apply`, {
      ...application,
      idNumber: "110105194912310021",
      step: "submit",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /校验位不正确/);
    const noToken = await app.inject({
      method: "POST",
      url: `/agencies/${agency.slug}/apply`,
      headers: FORM_HEADERS,
      payload: form(application),
    });
    assert.equal(noToken.statusCode, 403);
  });

  it("a person submits an application and gets a query code", async () => {
    const res = await visitorPost(`/agencies/${agency.slug}/apply`, `/agencies/${agency.slug}/apply`, {
      ...application,
      step: "submit",
    });
    assert.equal(res.statusCode, 201, res.body.slice(0, 500));
    const m = /查询码：<strong>([A-Z0-9-]{14})<\/strong>/.exec(res.body);
    assert.ok(m, "receipt shows the query code");
    queryCode = m[1] as string;
    const row = await db
      .selectFrom("info_requests")
      .select(["id", "status"])
      .where("agency_id", "=", agency.id)
      .executeTakeFirstOrThrow();
    id = row.id;
    assert.equal(row.status, "awaiting_confirmation");
    const s = await status(queryCode);
    assert.equal(s.statusCode, 200);
    assert.match(s.body, /等待本机关确认收到/);
  });

  it("the status page needs the right last four digits and never shows personal data", async () => {
    const wrong = await status(queryCode, "0000");
    assert.equal(wrong.statusCode, 404);
    assert.match(wrong.body, /查询码或手机号码后四位不正确/);
    const ok = await status(queryCode);
    assert.doesNotMatch(ok.body, /张三|13812345678|11010519491231002X/);
  });

  it("the queue masks the applicant and the page reveals in full only with an audit entry", async () => {
    const queue = await app.inject({ url: `${base}?view=awaiting_confirmation`, headers: staff.headers });
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /张\*/);
    assert.doesNotMatch(queue.body, /undefined|\[object |NaN/);
    assert.doesNotMatch(queue.body, /张三|11010519491231002X/);
    const page = await app.inject({ url: `${base}/${id}`, headers: staff.headers });
    assert.match(page.body, /1101\*\*\*\*\*\*\*\*\*\*002X/);
    assert.doesNotMatch(page.body, /11010519491231002X/);
    const reveal = await staffPost(`${base}/${id}/personal`, {});
    assert.equal(reveal.statusCode, 200);
    assert.match(reveal.body, /11010519491231002X/);
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("entity_id", "=", id)
      .where("action", "=", "request.read_personal")
      .execute();
    assert.equal(audit.length, 1);
  });

  it("the handler confirms receipt on 2025-09-26: reply due 2025-10-30 over 国庆/中秋", async () => {
    const res = await staffPost(`${base}/${id}/steps/confirm-receipt`, {
      version: await currentVersion(id),
      date: "2025-09-26",
    });
    assert.equal(res.statusCode, 303);
    const page = await app.inject({ url: `${base}/${id}?done=confirm-receipt`, headers: staff.headers });
    assert.match(page.body, /2025年10月30日/);
    assert.match(page.body.replace(/<span class="nowrap">([^<]*)<\/span>/g, "$1"), /国庆节、中秋节假期8天/);
    const s = await status(queryCode);
    assert.match(s.body, /确认收到您的申请/);
    assert.match(s.body, /2025年10月30日前答复/);
  });

  it("a stale form gets 409 info_request_conflict instead of overwriting", async () => {
    await setDay("2025-09-29");
    const stale = String(Number(await currentVersion(id)) - 1);
    const res = await staffPost(`${base}/${id}/steps/assign`, {
      version: stale,
      departmentId: "",
      assigneeId: "",
    });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /info_request_conflict/);
  });

  it("correction notice, then the corrected application restarts the clock", async () => {
    let res = await staffPost(`${base}/${id}/steps/correction`, {
      version: await currentVersion(id),
      items: "请写明所需信息涉及的县（区）。",
      noticeOn: "2025-09-29",
      dueOn: "2025-10-17",
    });
    assert.equal(res.statusCode, 303);
    let s = await status(queryCode);
    assert.match(s.body, /需要您补正申请内容/);
    assert.match(s.body, /补正期限至2025年10月17日/);
    assert.match(s.body, /需要您补正的内容/);
    assert.match(s.body, /请写明所需信息涉及的县（区）。/);
    await setDay("2025-10-10");
    res = await staffPost(`${base}/${id}/steps/correction-received`, {
      version: await currentVersion(id),
      receivedOn: "2025-10-10",
    });
    assert.equal(res.statusCode, 303);
    s = await status(queryCode);
    // restart on 10/10: 10/11 (Sat, 上班) 1, 10/13–17 6, 10/20–24 11, 10/27–31 16, 11/3–6 20
    assert.match(s.body, /2025年11月6日前答复/);
  });

  it("a reply with one outcome generates the notice (.docx and printable HTML)", async () => {
    await setDay("2025-10-20");
    // 250 lines of 19 characters: 4999 characters in the textarea (maxlength 5000), 5248 as the form sends them.
    const reasons = "本机关已依法检索了相关档案并整理如下：\r\n".repeat(250).trimEnd();
    const tooLong = await staffPost(`${base}/${id}/steps/reply`, {
      version: await currentVersion(id),
      reply: "art36_2:granted",
      legalBasis: "",
      reasons: "很".repeat(6000),
      repliedOn: "2025-10-20",
    });
    assert.equal(tooLong.statusCode, 400, "refused with its limit, not cut to 5000");
    assert.match(tooLong.body, /不超过5000字/);
    const res = await staffPost(`${base}/${id}/steps/reply`, {
      version: await currentVersion(id),
      reply: "art36_2:granted",
      legalBasis: "",
      reasons,
      repliedOn: "2025-10-20",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const stored = await db
      .selectFrom("info_requests")
      .select("reply_reasons")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.reply_reasons, reasons.replace(/\r\n/g, "\n"), "the reasons in full");
    const page = await app.inject({ url: `${base}/${id}`, headers: staff.headers });
    assert.doesNotMatch(page.body, /undefined|\[object |NaN/);
    const docx = /href="([^"]+\/notices\/[0-9a-f-]+\.docx)"/g;
    const links = [...page.body.matchAll(docx)].map((m) => m[1] as string);
    assert.equal(links.length, 3, "receipt, correction and reply notices");
    const file = await app.inject({ url: links[2] as string, headers: staff.headers });
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers["content-type"]), /wordprocessingml/);
    assert.equal(file.rawPayload.subarray(0, 2).toString(), "PK");
    const printable = await app.inject({
      url: (links[2] as string).replace(/\.docx$/, ".html"),
      headers: staff.headers,
    });
    assert.match(printable.body, /政府信息公开申请答复告知书/);
    assert.match(printable.body, /张三：/);
    assert.match(printable.body, /六十日内/);
    const s = await status(queryCode);
    // Plain words for the applicant, not the annual report's 「（一）予以公开」.
    assert.match(s.body, /本机关已经答复/);
    assert.match(s.body, /本机关予以公开，现将有关信息提供给您/);
    assert.doesNotMatch(s.body, /（一）予以公开/);
  });

  it("delivery and archive appear on the status page", async () => {
    await staffPost(`${base}/${id}/steps/delivery`, {
      version: await currentVersion(id),
      method: "email",
      deliveredOn: "2025-10-20",
      proof: "邮件",
    });
    await staffPost(`${base}/${id}/steps/archive`, {
      version: await currentVersion(id),
      archivedOn: "2025-10-20",
    });
    const s = await status(queryCode);
    assert.match(s.body, /以“电子邮件”方式送达/);
    assert.match(s.body, /已归档/);
  });

  it("the ICS feed lists open due dates; reminders page renders", async () => {
    await staffPost(`${base}/new`, {
      ...application,
      phone: "",
      delivery: "post",
      address: "某市某路1号",
      channel: "post",
      submittedOn: "2025-10-14",
      signedForOn: "2025-10-15",
    });
    const ics = await app.inject({ url: `${base}/calendar.ics`, headers: staff.headers });
    assert.equal(ics.statusCode, 200);
    assert.match(String(ics.headers["content-type"]), /text\/calendar/);
    // received 10/15: 10/16–17 2, 10/20–24 7, 10/27–31 12, 11/3–7 17, 11/10–12 20
    assert.match(ics.body, /DTSTART;VALUE=DATE:20251112/);
    const rem = await app.inject({ url: `${base}/reminders`, headers: staff.headers });
    assert.equal(rem.statusCode, 200);
  });

  it("extension: the handler proposes, the office head approves", async () => {
    const row = await db
      .selectFrom("info_requests")
      .select("id")
      .where("agency_id", "=", agency.id)
      .where("status", "=", "processing")
      .executeTakeFirstOrThrow();
    await staffPost(`${base}/${row.id}/steps/extension-propose`, {
      version: await currentVersion(row.id),
      days: "10",
      reason: "需调取档案",
    });
    const forbidden = await staffPost(`${base}/${row.id}/approve-extension`, {
      version: await currentVersion(row.id),
      approvedOn: "2025-10-20",
    });
    assert.equal(forbidden.statusCode, 403, "a handler may not approve");
    const headSession = await signIn(app, head);
    const ok = await staffPost(
      `${base}/${row.id}/approve-extension`,
      { version: await currentVersion(row.id), approvedOn: "2025-10-20", notifiedOn: "2025-10-20" },
      headSession,
    );
    assert.equal(ok.statusCode, 303);
    const r = await db
      .selectFrom("info_requests")
      .select("next_due_on")
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    // 2025-11-12 + 10 working days: 11/13–14 2, 11/17–21 7, 11/24–26 10
    assert.equal(r.next_due_on, "2025-11-26");
  });
});

describe("per-agency templates and settings (agency.manage)", () => {
  it("edits a template (unknown placeholders refused), saves settings; handlers may not", async () => {
    const h = await signIn(app, head);
    const list = await app.inject({ url: `${base}/templates`, headers: h.headers });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /补正告知书/);
    const denied = await app.inject({ url: `${base}/templates`, headers: staff.headers });
    assert.equal(denied.statusCode, 403);
    const bad = await staffPost(`${base}/templates/receipt`, { body: "{{申请人}}：\n\n{{未知字段}}" }, h);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /未知的占位符/);
    const ok = await staffPost(
      `${base}/templates/receipt`,
      {
        body: "{{申请人}}：\n\n本机关已于{{收到日期}}收到您的申请（{{申请编号}}），查询码{{查询码}}。特制此回执。",
      },
      h,
    );
    assert.equal(ok.statusCode, 303);
    const settings = await staffPost(
      `${base}/settings`,
      {
        officeName: "测试市人社局政务公开办",
        officeAddress: "测试市人民路1号",
        officePhone: "0471-1234567",
        docPrefix: "测人社依申",
        reviewBody: "测试市人民政府",
        court: "测试市某区人民法院",
        correctionDays: "10",
        retentionYears: "10",
        feePaymentMethod: "",
      },
      h,
    );
    assert.equal(settings.statusCode, 303);
    // A new in-person application gets a receipt from the edited template, numbered with the new prefix.
    await staffPost(`${base}/new`, { ...application, channel: "in_person", submittedOn: "2025-10-20" });
    const n = await db
      .selectFrom("info_request_notices")
      .select(["doc_number", "paragraphs"])
      .where("agency_id", "=", agency.id)
      .where("kind", "=", "receipt")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    assert.match(n.doc_number, /^测人社依申〔2025〕\d+号$/);
    assert.match(n.paragraphs.join(""), /特制此回执/);
  });
});

describe("API for integrations (Bearer tokens)", () => {
  const token = `gkt_${randomBytes(24).toString("base64url")}`;
  const auth = { authorization: `Bearer ${token}` };

  it("creates an application, reads its status and records the receipt confirmation", async () => {
    await db
      .insertInto("api_tokens")
      .values({
        user_id: handler.id,
        name: "12345热线",
        prefix: token.slice(0, 8),
        token_hash: createHash("sha256").update(token).digest("hex"),
        scopes: ["request.handle", "request.read"],
        created_at: new Date(),
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
      })
      .execute();
    const created = await app.inject({
      method: "POST",
      url: `/api/v1/agencies/${agency.slug}/requests`,
      headers: auth,
      payload: { ...application, channel: "hotline", submittedOn: "2025-10-16" },
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json();
    assert.equal(body.status, "awaiting_confirmation");
    assert.match(body.queryCode, /^[A-Z0-9]{12}$/);
    assert.equal(body.applicant, "张*");
    assert.doesNotMatch(created.body, /11010519491231002X|13812345678/);

    const read = await app.inject({
      url: `/api/v1/agencies/${agency.slug}/requests/${body.id}`,
      headers: auth,
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().receivedOn, null);

    const stale = await app.inject({
      method: "POST",
      url: `/api/v1/agencies/${agency.slug}/requests/${body.id}/receipt-confirmation`,
      headers: auth,
      payload: { version: body.version + 5, date: "2025-10-17" },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, "info_request_conflict");

    const confirmed = await app.inject({
      method: "POST",
      url: `/api/v1/agencies/${agency.slug}/requests/${body.id}/receipt-confirmation`,
      headers: auth,
      payload: { version: body.version, date: "2025-10-17" },
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().receivedOn, "2025-10-17");
    // 10/17 + 20: 10/20–24 5, 10/27–31 10, 11/3–7 15, 11/10–14 20
    assert.equal(confirmed.json().nextDueOn, "2025-11-14");
  });

  it("is documented in the OpenAPI document", async () => {
    const doc = await app.inject({ url: "/api/v1/openapi.json" });
    assert.equal(doc.statusCode, 200);
    const paths = doc.json().paths as Record<string, Record<string, { summary?: string }>>;
    assert.ok(paths["/api/v1/agencies/{slug}/requests"]?.post?.summary, "create");
    assert.ok(paths["/api/v1/agencies/{slug}/requests/{id}"]?.get, "status");
    assert.ok(paths["/api/v1/agencies/{slug}/requests/{id}/receipt-confirmation"]?.post, "confirmation");
  });

  it("refuses an invalid body with validation_failed and an anonymous caller with 401", async () => {
    const bad = await app.inject({
      method: "POST",
      url: `/api/v1/agencies/${agency.slug}/requests`,
      headers: auth,
      payload: { ...application, channel: "carrier-pigeon", submittedOn: "2025-10-16" },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "validation_failed");
    const anon = await app.inject({ url: `/api/v1/agencies/${agency.slug}/requests` });
    assert.equal(anon.statusCode, 401);
  });
});

describe("without an encryption key", () => {
  it("refuses applications with encryption_key_missing and says so in the admin UI", async () => {
    const t = await createTestApp({ clock: fixedClock("2025-10-20"), config: { encryptionKey: undefined } });
    const a = await createAgency(t.db);
    const admin = await createUser(t.db, { roles: ["agency_admin"], agencyId: a.id });
    const page = await t.app.inject({ url: `/agencies/${a.slug}/apply` });
    assert.match(page.body, /暂不能在线受理/);
    const token = csrfFromPage(page.body) as string;
    const cookie = mergeCookies("", page.headers["set-cookie"]);
    const res = await t.app.inject({
      method: "POST",
      url: `/agencies/${a.slug}/apply`,
      headers: { ...FORM_HEADERS, cookie },
      payload: form({ _csrf: token, ...application, step: "submit" }),
    });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /encryption_key_missing/);
    const s = await signIn(t.app, admin);
    const settings = await t.app.inject({
      url: `/admin/agencies/${a.slug}/requests/settings`,
      headers: s.headers,
    });
    assert.match(settings.body, /encryption_key_missing/);
  });
});

describe("long descriptions on the portal form", () => {
  it("an over-long description is refused with its limit, not cut; line breaks count as one character", async () => {
    const other = await createAgency(db, { name: "测试区人力资源和社会保障局" });
    const url = `/agencies/${other.slug}/apply`;
    const rows = () =>
      db.selectFrom("info_requests").select(["info_description"]).where("agency_id", "=", other.id).execute();
    const tooLong = await visitorPost(url, url, {
      ...application,
      infoDescription: "很".repeat(10_000),
      step: "submit",
    });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /所需信息的描述不超过2000字（现为10000字）/);
    assert.equal((await rows()).length, 0, "nothing written");
    // 100 lines of 19 characters: 1999 characters in the browser's textarea (within maxlength), 2098 as sent (CRLF).
    const lines = "第一行内容第一行内容第一行内容第一行内\r\n".repeat(100).trimEnd();
    const ok = await visitorPost(url, url, { ...application, infoDescription: lines, step: "submit" });
    assert.equal(ok.statusCode, 201, ok.body.slice(0, 500));
    assert.equal((await rows())[0]?.info_description, lines.replace(/\r\n/g, "\n"));
  });
});
