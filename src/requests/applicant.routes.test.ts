import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { csrfFromPage, mergeCookies, signIn } from "../../test/auth.ts";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { createDeps } from "../deps.ts";
import { captureMessenger } from "../messaging/messenger.ts";
import type { Clock } from "../shared/clock.ts";
import { LOOKUP_LOCK } from "./applicant-access.service.ts";

// The applicant's online loop over HTTP: access by 查询码 + phone digits (generic failures, lock-out per
// application), one-time links by e-mail (captured, single use, expiring), the secure page, the online 补正 with an
// attachment restarting the clock like a counter 补正, the disclosed file after the reply, and the access log.
let now = new Date("2025-09-26T10:00:00+08:00");
const clock: Clock = {
  now: () => new Date(now.getTime()),
  today: () => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
};
const setDay = (day: string) => {
  now = new Date(`${day}T10:00:00+08:00`);
};
const messenger = captureMessenger({ sms: false });
const { db } = await createTestDatabase();
const deps = createDeps(testConfig({ publicUrl: "https://gk.example.cn" }), db, {
  clock,
  logger: pino({ level: "silent" }),
  messenger,
});
const app = await buildApp(deps);
const agency = await createAgency(db, { name: "测试市人力资源和社会保障局" });
await fillGuideContact(db, agency.id);
const handler = await createUser(db, {
  roles: ["request_handler"],
  agencyId: agency.id,
  displayName: "王经办",
});
const base = `/admin/agencies/${agency.slug}/requests`;
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");

// Each visitor comes from its own address: the per-address rate limits are not what these tests exercise.
let address = 1;
/** A visitor with a CSRF cookie and token (from the access form). */
async function visitor(): Promise<{ cookie: string; token: string; ip: string }> {
  const ip = `10.0.${Math.floor(address / 250)}.${(address++ % 250) + 1}`;
  const page = await app.inject({ url: "/apply/status", remoteAddress: ip });
  return {
    cookie: mergeCookies("", page.headers["set-cookie"]),
    token: csrfFromPage(page.body) as string,
    ip,
  };
}

async function post(
  url: string,
  values: Record<string, string>,
  v?: { cookie: string; token: string; ip?: string },
) {
  const who = v ?? (await visitor());
  return app.inject({
    method: "POST",
    url,
    ...(who.ip ? { remoteAddress: who.ip } : {}),
    headers: { ...FORM, cookie: who.cookie },
    payload: new URLSearchParams({ _csrf: who.token, ...values }).toString(),
  });
}

function multipart(fields: Record<string, string>, files: { name: string; data: Buffer }[]) {
  const boundary = "----gongkai-test-boundary";
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.data,
      Buffer.from("\r\n"),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload: Buffer.concat(parts) };
}

async function apply(phone: string, email: string): Promise<{ code: string; id: string }> {
  const url = `/agencies/${agency.slug}/apply`;
  const page = await app.inject({ url });
  const res = await app.inject({
    method: "POST",
    url,
    headers: { ...FORM, cookie: mergeCookies("", page.headers["set-cookie"]) },
    payload: new URLSearchParams({
      _csrf: csrfFromPage(page.body) as string,
      applicantType: "natural_person",
      name: "张三",
      idType: "resident_id",
      idNumber: "11010519491231002X",
      phone,
      email,
      infoTitle: "2024年度就业补助资金分配结果",
      form: "electronic",
      delivery: "online",
      step: "submit",
    }).toString(),
  });
  assert.equal(res.statusCode, 201, res.body.slice(0, 300));
  const code = (/查询码：<strong>([A-Z0-9-]{14})<\/strong>/.exec(res.body) as RegExpExecArray)[1] as string;
  const row = await db
    .selectFrom("info_requests")
    .select("id")
    .where("query_code", "=", code.replaceAll("-", ""))
    .executeTakeFirstOrThrow();
  return { code, id: row.id };
}

/** Opens a session with code + digits: returns the cookie header for the application's pages. */
async function open(code: string, last4: string) {
  const v = await visitor();
  const res = await post("/apply/status", { code, last4 }, v);
  return { res, cookie: mergeCookies(v.cookie, res.headers["set-cookie"]), token: v.token, ip: v.ip };
}

async function version(id: string): Promise<string> {
  const r = await db
    .selectFrom("info_requests")
    .select("version")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return String(r.version);
}

async function staffPost(url: string, values: Record<string, string>) {
  const s = await signIn(app, handler);
  return app.inject({
    method: "POST",
    url,
    headers: { ...FORM, cookie: s.cookie },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...values }).toString(),
  });
}

const accessKinds = async (id: string) =>
  (
    await db
      .selectFrom("info_request_access_log")
      .select("kind")
      .where("request_id", "=", id)
      .orderBy("id")
      .execute()
  ).map((r) => r.kind);

describe("the applicant's secure page", () => {
  let main = { code: "", id: "" };
  let session: { cookie: string; token: string; ip?: string } = { cookie: "", token: "" };

  it("查询码 + last four digits open a session scoped to the application; failures are generic", async () => {
    main = await apply("13812345678", "zhang@example.com");
    const wrong = await open(main.code, "0000");
    assert.equal(wrong.res.statusCode, 404);
    assert.match(wrong.res.body, /查询码或手机号码后四位不正确/);
    const unknown = await open("AAAA-BBBB-CCCC", "5678");
    assert.equal(unknown.res.statusCode, 404);
    assert.equal(
      unknown.res.body.replace(/value="[^"]*"/g, ""),
      wrong.res.body.replace(/value="[^"]*"/g, ""),
    );
    const ok = await open(main.code, "5678");
    assert.equal(ok.res.statusCode, 303);
    assert.equal(ok.res.headers.location, `/apply/applications/${main.id}`);
    const set = String(ok.res.headers["set-cookie"]);
    assert.match(
      set,
      new RegExp(`gk_applicant=[A-Za-z0-9_-]{43}; Path=/apply/applications/${main.id}; HttpOnly`),
    );
    assert.match(set, /SameSite=Strict/);
    session = { cookie: ok.cookie, token: ok.token };
    const page = await app.inject({
      url: `/apply/applications/${main.id}`,
      headers: { cookie: session.cookie },
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /等待本机关确认收到/);
    assert.doesNotMatch(page.body, /张三|13812345678|11010519491231002X/);
    const anonymous = await app.inject({ url: `/apply/applications/${main.id}` });
    assert.equal(anonymous.statusCode, 404);
    assert.doesNotMatch(anonymous.body, /2024年度就业补助资金分配结果/);
    assert.deepEqual(await accessKinds(main.id), ["lookup_failed", "lookup", "view"]);
  });

  it("full-width digits open the page; an empty or malformed code or digits are named, not counted", async () => {
    const fullWidth = await open(main.code, "５６７８");
    assert.equal(fullWidth.res.statusCode, 303, "digits typed with a Chinese input method");
    const cases: [string, string, RegExp][] = [
      ["", "5678", /请填写查询码/],
      ["AAAA-BBBB", "5678", /查询码应为12位字母和数字/],
      [main.code, "", /请填写申请时所留联系电话的后四位数字/],
      [main.code, "56a8", /请填写申请时所留联系电话的后四位数字/],
    ];
    for (const [code, last4, message] of cases) {
      const res = (await open(code, last4)).res;
      assert.equal(res.statusCode, 400, `${code} ${last4}`);
      assert.match(res.body, message);
    }
    assert.equal((await accessKinds(main.id)).filter((k) => k === "lookup_failed").length, 1);
  });

  it("the access page's two forms label each of their fields (no id used twice)", async () => {
    const body = (await app.inject({ url: "/apply/status" })).body;
    const ids = [...body.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    for (const [, id] of body.matchAll(/<input type="text" id="([^"]+)"/g))
      assert.match(body, new RegExp(`<label for="${id}">`), id);
  });

  it("a session opens only its own application", async () => {
    const other = await apply("13900001111", "");
    const res = await app.inject({
      url: `/apply/applications/${other.id}`,
      headers: { cookie: session.cookie },
    });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /applicant_access_denied|链接无效或已过期/);
  });

  it(`${LOOKUP_LOCK.failures} failures lock the code for ${LOOKUP_LOCK.minutes} minutes, then the right digits work again`, async () => {
    const target = await apply("13700002222", "");
    for (let i = 0; i < LOOKUP_LOCK.failures; i++)
      assert.equal((await open(target.code, "9999")).res.statusCode, 404);
    const locked = await open(target.code, "2222");
    assert.equal(locked.res.statusCode, 404, "locked even with the right digits");
    assert.match(locked.res.body, /查询码或手机号码后四位不正确/);
    now = new Date(now.getTime() + (LOOKUP_LOCK.minutes + 1) * 60_000);
    assert.equal((await open(target.code, "2222")).res.statusCode, 303);
    const kinds = await accessKinds(target.id);
    assert.equal(kinds.filter((k) => k === "lookup_failed").length, LOOKUP_LOCK.failures + 1);
  });

  it("a one-time link by e-mail: same answer for any code, single use, expires", async () => {
    setDay("2025-09-26");
    messenger.sent.length = 0;
    const unknown = await post("/apply/link", { code: "AAAA-BBBB-CCCC" });
    const known = await post("/apply/link", { code: main.code });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.equal(
      unknown.body.replace(/value="[^"]*"/g, ""),
      known.body.replace(/value="[^"]*"/g, ""),
      "no enumeration: the same page",
    );
    assert.equal(messenger.sent.length, 1);
    const mail = messenger.sent[0];
    assert.equal(mail?.to, "zhang@example.com");
    const link = /https:\/\/gk\.example\.cn(\/apply\/link\/[A-Za-z0-9_.-]+)/.exec(
      mail?.text ?? "",
    )?.[1] as string;
    assert.ok(link);
    const confirm = await app.inject({ url: link });
    assert.equal(confirm.statusCode, 200, "a GET (mail scanner) does not use the link");
    const v = await visitor();
    const used = await post(link, {}, v);
    assert.equal(used.statusCode, 303);
    assert.equal(used.headers.location, `/apply/applications/${main.id}`);
    const again = await post(link, {}, v);
    assert.equal(again.statusCode, 404, "single use");
    const forged = await post(`${link.slice(0, -3)}AAA`, {});
    assert.equal(forged.statusCode, 404);
    await post("/apply/link", { code: main.code });
    const second = /(\/apply\/link\/[A-Za-z0-9_.-]+)/.exec(messenger.sent[1]?.text ?? "")?.[1] as string;
    now = new Date(now.getTime() + 31 * 60_000);
    assert.equal((await post(second, {})).statusCode, 404, "expired after 30 minutes");
    assert.ok((await accessKinds(main.id)).includes("link_used"));
  });

  it("the 补正 submitted online with an attachment restarts the clock like a counter 补正", async () => {
    setDay("2025-09-26");
    assert.equal(
      (
        await staffPost(`${base}/${main.id}/steps/confirm-receipt`, {
          version: await version(main.id),
          date: "2025-09-26",
        })
      ).statusCode,
      303,
    );
    setDay("2025-09-29");
    assert.equal(
      (
        await staffPost(`${base}/${main.id}/steps/correction`, {
          version: await version(main.id),
          items: "请写明所需信息涉及的县（区）。",
          noticeOn: "2025-09-29",
          dueOn: "2025-10-17",
        })
      ).statusCode,
      303,
    );
    setDay("2025-10-10");
    const s = await open(main.code, "5678");
    const page = await app.inject({ url: `/apply/applications/${main.id}`, headers: { cookie: s.cookie } });
    assert.match(page.body, /请写明所需信息涉及的县（区）。/);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.doesNotMatch(page.body, /action="[^"]*_csrf=/, "the token is never in the URL");
    const url = `/apply/applications/${main.id}/correction`;
    // Token only in the URL: refused.
    const inUrl = multipart({ text: "扎兰屯市" }, []);
    const refused = await app.inject({
      method: "POST",
      url: `${url}?_csrf=${encodeURIComponent(s.token)}`,
      headers: { cookie: s.cookie, "content-type": inUrl.contentType },
      payload: inUrl.payload,
    });
    assert.equal(refused.statusCode, 403);
    // A renamed executable is refused before anything is saved.
    const bad = multipart({ _csrf: s.token, text: "扎兰屯市" }, [
      { name: "材料.pdf", data: Buffer.from("MZ\x90\x00 not a pdf") },
    ]);
    const rejected = await app.inject({
      method: "POST",
      url,
      headers: { cookie: s.cookie, "content-type": bad.contentType },
      payload: bad.payload,
    });
    assert.equal(rejected.statusCode, 415);
    assert.match(rejected.body, /文件内容与扩展名不符/);
    // Nothing visible (zero-width spaces) or control characters are not a 补正: named, nothing saved.
    for (const [text, message] of [
      ["\u200b\u3000\u200b", /请填写补正内容或上传补正材料/],
      ["扎兰屯市\u202Etxt.exe", /控制字符/],
    ] as const) {
      const empty = multipart({ _csrf: s.token, text }, []);
      const res = await app.inject({
        method: "POST",
        url,
        headers: { cookie: s.cookie, "content-type": empty.contentType },
        payload: empty.payload,
      });
      assert.equal(res.statusCode, 400, text);
      assert.match(res.body, message);
    }
    // 250 lines: 4996 characters in the textarea (maxlength 5000), 5245 as sent with CRLF line breaks.
    const text =
      `所需信息涉及扎兰屯市全市各乡镇。\r\n${"补正说明补正说明补正说明补正说明补正说\r\n".repeat(249)}`.trimEnd();
    const good = multipart({ _csrf: s.token, text }, [{ name: "补正说明.pdf", data: PDF }]);
    const res = await app.inject({
      method: "POST",
      url,
      headers: { cookie: s.cookie, "content-type": good.contentType },
      payload: good.payload,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    const after = await app.inject({
      url: `/apply/applications/${main.id}?done=correction`,
      headers: { cookie: s.cookie },
    });
    assert.match(after.body, /补正已提交/);
    assert.match(after.body, /在线提交的补正后的申请/);
    // Restart on 10/10 as at the counter: 10/11 (Sat, 上班) 1, 10/13–17 6, 10/20–24 11, 10/27–31 16, 11/3–6 20.
    assert.match(after.body, /2025年11月6日前答复/);
    assert.match(after.body, /补正说明\.pdf/);
    const corr = await db
      .selectFrom("info_request_corrections")
      .selectAll()
      .where("request_id", "=", main.id)
      .executeTakeFirstOrThrow();
    assert.equal(corr.received_on, "2025-10-10");
    assert.equal(corr.online_text, text.replace(/\r\n/g, "\n"));
    const row = await db
      .selectFrom("info_requests")
      .select(["status", "next_due_on"])
      .where("id", "=", main.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "processing", next_due_on: "2025-11-06" });
    const audit = await db
      .selectFrom("audit_events")
      .select(["summary", "actor_name"])
      .where("entity_id", "=", main.id)
      .where("summary", "like", "%在线提交%")
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_name, "申请人（在线提交）");
    assert.ok((await accessKinds(main.id)).includes("correction"));
    const twice = await app.inject({
      method: "POST",
      url,
      headers: { cookie: s.cookie, "content-type": good.contentType },
      payload: good.payload,
    });
    assert.equal(twice.statusCode, 409, "once only");
    session = s;
  });

  it("the reply's disclosed file and the notices are downloaded from the page, and every access is logged", async () => {
    setDay("2025-10-20");
    const staff = await signIn(app, handler);
    const upload = multipart({ _csrf: staff.csrfToken }, [
      { name: "2024年就业补助资金分配表.pdf", data: PDF },
    ]);
    const up = await app.inject({
      method: "POST",
      url: `${base}/${main.id}/files`,
      headers: { cookie: staff.cookie, "content-type": upload.contentType },
      payload: upload.payload,
    });
    assert.equal(up.statusCode, 303, up.body.slice(0, 300));
    let page = await app.inject({
      url: `/apply/applications/${main.id}`,
      headers: { cookie: session.cookie },
    });
    assert.doesNotMatch(page.body, /2024年就业补助资金分配表/, "not before the reply");
    const replied = await staffPost(`${base}/${main.id}/steps/reply`, {
      version: await version(main.id),
      reply: "art36_2:granted",
      legalBasis: "",
      reasons: "",
      repliedOn: "2025-10-20",
    });
    assert.equal(replied.statusCode, 303, replied.body.slice(0, 300));
    const s = await open(main.code, "5678");
    page = await app.inject({ url: `/apply/applications/${main.id}`, headers: { cookie: s.cookie } });
    const file =
      /href="(\/apply\/applications\/[^"]+\/files\/[0-9a-f-]+)" download>2024年就业补助资金分配表\.pdf/.exec(
        page.body,
      )?.[1];
    assert.ok(file, "the disclosed file is offered");
    const dl = await app.inject({ url: file as string, headers: { cookie: s.cookie } });
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, PDF);
    assert.match(String(dl.headers["content-disposition"]), /attachment/);
    const notice = /href="(\/apply\/applications\/[^"]+\/notices\/[0-9a-f-]+)\.html"/g;
    const notices = [...page.body.matchAll(notice)].map((m) => m[1] as string);
    assert.equal(notices.length, 3, "receipt, correction and reply notices");
    const reply = await app.inject({ url: `${notices[2]}.html`, headers: { cookie: s.cookie } });
    assert.match(reply.body, /政府信息公开申请答复告知书/);
    assert.match(reply.body, /张三：/);
    const docx = await app.inject({ url: `${notices[2]}.docx`, headers: { cookie: s.cookie } });
    assert.equal(docx.rawPayload.subarray(0, 2).toString(), "PK");
    assert.equal((await app.inject({ url: file as string })).statusCode, 404, "no session, no file");
    const kinds = await accessKinds(main.id);
    assert.ok(kinds.includes("file") && kinds.includes("notice"));
    const staffPage = await app.inject({ url: `${base}/${main.id}`, headers: staff.headers });
    assert.match(staffPage.body, /申请人访问记录/);
    assert.match(staffPage.body, /下载文件/);
    assert.match(staffPage.body, /2024年就业补助资金分配表\.pdf/);
    const out = await post(`/apply/applications/${main.id}/logout`, {}, s);
    assert.equal(out.statusCode, 303);
    assert.equal(
      (await app.inject({ url: `/apply/applications/${main.id}`, headers: { cookie: s.cookie } })).statusCode,
      404,
    );
  });
});
