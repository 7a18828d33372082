import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csrfFromPage, mergeCookies, signIn } from "../../test/auth.ts";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { type Clock, fixedClock } from "../shared/clock.ts";

// Over HTTP: contradictory form/delivery pairs on each entry surface, the API's paged list, withdrawing an
// extension proposal, a late 补正 notice on the application page and in the queue, unsafe step texts.
const today = "2025-03-17";
const clock: Clock = { now: () => fixedClock(`${today}T10:00:00+08:00`).now(), today: () => today };
const { app, db } = await createTestApp({ clock });
const agency = await createAgency(db, { name: "测试区人力资源和社会保障局" });
await fillGuideContact(db, agency.id);
const handler = await createUser(db, {
  roles: ["request_handler"],
  agencyId: agency.id,
  displayName: "王经办",
});
const colleague = await createUser(db, {
  roles: ["request_handler"],
  agencyId: agency.id,
  displayName: "钱经办",
});
const staff = await signIn(app, handler);
const base = `/admin/agencies/${agency.slug}/requests`;
const api = `/api/v1/agencies/${agency.slug}/requests`;
const FORM_HEADERS = { "content-type": "application/x-www-form-urlencoded" };

const application = {
  applicantType: "natural_person",
  name: "张三",
  idType: "resident_id",
  idNumber: "11010519491231002X",
  phone: "13812345678",
  email: "zhang@example.com",
  address: "某市某路1号",
  postalCode: "",
  infoTitle: "2024年度就业补助资金分配结果",
  infoDocNumber: "",
  infoDescription: "",
  form: "electronic",
  delivery: "email",
};

async function staffPost(url: string, values: Record<string, string>, who = staff) {
  return app.inject({
    method: "POST",
    url,
    headers: { ...FORM_HEADERS, cookie: who.cookie },
    payload: new URLSearchParams({ _csrf: who.csrfToken, ...values }).toString(),
  });
}

async function register(title: string, submittedOn = today): Promise<{ id: string; version: number }> {
  const res = await app.inject({
    method: "POST",
    url: api,
    headers: staff.headers,
    payload: { ...application, infoTitle: title, channel: "in_person", submittedOn },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

async function version(id: string): Promise<string> {
  const row = await db
    .selectFrom("info_requests")
    .select("version")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return String(row.version);
}

describe("a contradictory 提供形式 / 获取方式 pair: refused on the public form, registered as written by staff", () => {
  const MESSAGE = /信息的提供形式为“纸质”时，获取信息的方式不能选择“在线查看”/;

  it("on the public form", async () => {
    const url = `/agencies/${agency.slug}/apply`;
    const page = await app.inject({ url });
    const cookie = mergeCookies("", page.headers["set-cookie"]);
    const res = await app.inject({
      method: "POST",
      url,
      headers: { ...FORM_HEADERS, cookie },
      payload: new URLSearchParams({
        _csrf: csrfFromPage(page.body) ?? "",
        ...application,
        form: "paper",
        delivery: "online",
        step: "submit",
      }).toString(),
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, MESSAGE);
  });

  // Staff register what a received letter or visit asked for: the application is received on its day whatever it
  // says (its clock runs), and the handler settles the form with the applicant (条例第40条).
  it("not on the staff entry form: registered as the applicant wrote it", async () => {
    const res = await staffPost(`${base}/new`, {
      ...application,
      form: "paper",
      delivery: "online",
      channel: "in_person",
      submittedOn: today,
    });
    assert.equal(res.statusCode, 303, res.body);
  });

  it("not on the JSON API's registration either", async () => {
    const res = await app.inject({
      method: "POST",
      url: api,
      headers: staff.headers,
      payload: { ...application, form: "disc", delivery: "email", channel: "in_person", submittedOn: today },
    });
    assert.equal(res.statusCode, 201, res.body);
  });
});

describe("the API's list of applications is paged", () => {
  it("page and per_page, the total, next links to the end; limits refused with the field", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await register(`API分页测试第${i}件`, "2025-03-10")).id);
    const seen: string[] = [];
    let url: string | undefined = `${api}?view=all&per_page=2`;
    type ListBody = {
      meta: { page: number; perPage: number; total: number; totalPages: number };
      items: { id: string }[];
      links: Record<string, string>;
    };
    let pages = 0;
    while (url) {
      const res: Awaited<ReturnType<typeof app.inject>> = await app.inject({
        url: url.replace(/^https?:\/\/[^/]+/, ""),
        headers: staff.headers,
      });
      assert.equal(res.statusCode, 200, res.body);
      const body: ListBody = res.json();
      pages++;
      assert.equal(body.meta.perPage, 2);
      assert.equal(body.meta.page, pages);
      assert.ok(body.meta.total >= 5);
      assert.equal(body.meta.totalPages, Math.ceil(body.meta.total / 2));
      seen.push(...body.items.map((i: { id: string }) => i.id));
      url = body.links.next;
      if (pages === 1) assert.equal(body.links.prev, undefined);
    }
    assert.equal(seen.length, new Set(seen).size, "no application twice");
    for (const id of ids) assert.ok(seen.includes(id), "every application reached");

    const tooMany = await app.inject({ url: `${api}?per_page=201`, headers: staff.headers });
    assert.equal(tooMany.statusCode, 400);
    assert.deepEqual(tooMany.json().error.fields, [{ field: "per_page", message: "不能大于 200" }]);
    const zero = await app.inject({ url: `${api}?page=0`, headers: staff.headers });
    assert.equal(zero.statusCode, 400);
    assert.equal(zero.json().error.fields[0].field, "page");
    const past = await app.inject({ url: `${api}?view=all&page=99&per_page=200`, headers: staff.headers });
    assert.equal(past.statusCode, 400);
    assert.match(past.json().error.fields[0].message, /页码超出范围：共 1 页/);
    const first = await app.inject({ url: `${api}?view=all`, headers: staff.headers });
    assert.equal(first.json().meta.perPage, 200, "default: the queue's page size");
  });
});

describe("withdrawing an extension proposal on the application page", () => {
  it("the proposer sees the form and withdraws; another handler is refused; an approved one cannot", async () => {
    const r = await register("撤回延期测试", "2025-03-10");
    const proposed = await staffPost(`${base}/${r.id}/steps/extension-propose`, {
      version: await version(r.id),
      days: "10",
      reason: "需调取档案",
    });
    assert.equal(proposed.statusCode, 303);
    const page = await app.inject({ url: `${base}/${r.id}`, headers: staff.headers });
    assert.match(page.body, /撤回延期申请/);
    const other = await signIn(app, colleague);
    const otherPage = await app.inject({ url: `${base}/${r.id}`, headers: other.headers });
    assert.doesNotMatch(
      otherPage.body,
      /withdraw-extension/,
      "only the proposer (or the office) sees the form",
    );
    const refused = await staffPost(
      `${base}/${r.id}/withdraw-extension`,
      { version: await version(r.id) },
      other,
    );
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /只有提请延期的经办人（王经办）或本机关政务公开办可以撤回延期申请/);
    const ok = await staffPost(`${base}/${r.id}/withdraw-extension`, {
      version: await version(r.id),
      reason: "可按期答复",
    });
    assert.equal(ok.statusCode, 303);
    const after = await app.inject({ url: String(ok.headers.location), headers: staff.headers });
    assert.match(after.body, /已撤回延期申请，答复期限不变/);
    assert.match(after.body, /撤回延期申请（王经办）：撤回/);
    const again = await staffPost(`${base}/${r.id}/withdraw-extension`, { version: await version(r.id) });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /没有待批准的延期申请/);
  });
});

describe("a late 补正 notice", () => {
  it("is warned about on the form with the working days late, and listed in the queue", async () => {
    // Received Monday 2025-03-03: due Wednesday 2025-03-12; today (2025-03-17) is 3 working days late.
    const r = await register("补正逾期页面测试", "2025-03-03");
    const page = await app.inject({ url: `${base}/${r.id}`, headers: staff.headers });
    assert.match(page.body, /补正告知（条例第三十条；已逾期3个工作日）/);
    const text = page.body.replace(/<[^>]+>/g, "");
    assert.match(text, /今天已超过补正告知期限（收到申请之日起7个工作日，截止2025年3月12日）3个工作日/);
    const sent = await staffPost(`${base}/${r.id}/steps/correction`, {
      version: await version(r.id),
      items: "请写明年度",
      noticeOn: today,
    });
    assert.equal(sent.statusCode, 303, "not refused");
    const queue = await app.inject({ url: `${base}?view=late_correction_notice`, headers: staff.headers });
    assert.match(queue.body, /补正逾期页面测试 <span class="badge badge-err"[^>]*>补正告知逾期3个工作日/);
    const apiList = await app.inject({ url: `${api}?view=late_correction_notice`, headers: staff.headers });
    assert.deepEqual(
      apiList
        .json()
        .items.map((i: { id: string; correctionNoticeLateDays: number }) => [
          i.id,
          i.correctionNoticeLateDays,
        ]),
      [[r.id, 3]],
    );
  });
});

describe("a step's text with a bidi override", () => {
  it("is refused with the reason and the typed form kept", async () => {
    const r = await register("步骤文本测试", "2025-03-10");
    const res = await staffPost(`${base}/${r.id}/steps/extension-propose`, {
      version: await version(r.id),
      days: "5",
      reason: "理由\u202Efdp.exe",
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /延期理由中含有控制字符或不可见的格式字符/);
  });
});

describe("double submissions of a staff entry", () => {
  it("the 登记 form sent twice (a double click) registers one application", async () => {
    const form = await app.inject({ url: `${base}/new`, headers: staff.headers });
    const entryKey = /name="entryKey" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(entryKey, "the form carries a one-time entry key");
    const values = {
      ...application,
      infoTitle: "重复登记测试：某项目验收报告",
      channel: "in_person",
      submittedOn: today,
      entryKey,
    };
    const first = await staffPost(`${base}/new`, values);
    const second = await staffPost(`${base}/new`, values);
    assert.equal(first.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location, "the second is the first application");
    const rows = await db
      .selectFrom("info_requests")
      .select("id")
      .where("info_title", "=", "重复登记测试：某项目验收报告")
      .execute();
    assert.equal(rows.length, 1);
  });

  it("the API with the same Idempotency-Key answers with the first application", async () => {
    const payload = {
      ...application,
      infoTitle: "幂等测试：某项目资金",
      channel: "post",
      submittedOn: today,
    };
    const headers = { ...staff.headers, "idempotency-key": "hotline-20250317-0001" };
    const first = await app.inject({ method: "POST", url: api, headers, payload });
    const again = await app.inject({ method: "POST", url: api, headers, payload });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.statusCode, 201);
    assert.equal(again.json().id, first.json().id);
    assert.equal(again.json().number, first.json().number);
    const other = await app.inject({
      method: "POST",
      url: api,
      headers: { ...staff.headers, "idempotency-key": "hotline-20250317-0002" },
      payload,
    });
    assert.notEqual(other.json().id, first.json().id, "another key is another application");
    const bad = await app.inject({
      method: "POST",
      url: api,
      headers: { ...staff.headers, "idempotency-key": "短" },
      payload,
    });
    assert.equal(bad.statusCode, 400);
  });
});
