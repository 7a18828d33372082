import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { type HTMLElement, parse } from "node-html-parser";
import { csrfFromPage, signIn } from "../../test/auth.ts";
import { createAgency, createRegion, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";

const { app, db } = await createTestApp(); // clock: 2026-03-16
const region = await createRegion(db, { name: "路由测试县" });
const otherRegion = await createRegion(db, { name: "另一测试县" });
const agency: Agency = await getAgencyBySlug(
  db,
  (
    await createAgency(db, {
      slug: "report-test",
      name: "路由测试县人力资源和社会保障局",
      regionId: region.id,
    })
  ).slug,
);
const otherAgency = await createAgency(db, {
  slug: "report-other",
  name: "另一测试县人力资源和社会保障局",
  regionId: otherRegion.id,
});
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id });
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const otherAdmin = await createUser(db, { roles: ["agency_admin"], agencyId: otherAgency.id });
const supervisor = await createUser(db, { roles: ["supervisor"], regionId: region.id });

const base = "/admin/agencies/report-test/reports/2025";

async function get(url: string, user?: TestUser) {
  const headers = user ? (await signIn(app, user)).headers : {};
  return app.inject({ url, headers });
}

async function post(url: string, user: TestUser, form: Record<string, string | string[]> = {}) {
  const s = await signIn(app, user);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams(
      Object.entries({ ...form, _csrf: s.csrfToken }).flatMap(([k, v]): [string, string][] =>
        Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]],
      ),
    ).toString(),
  });
}

async function version(user: TestUser = admin): Promise<string> {
  const page = await get(base, user);
  const m = /name="version" value="(\d+)"/.exec(page.body);
  assert.ok(m, "version on the page");
  return m[1] as string;
}

function text(el: HTMLElement | null | undefined): string {
  return (el?.text ?? "").replace(/\s+/g, "");
}

describe("staff console", () => {
  it("requires sign-in; lists the reminder; other agencies' reports are not revealed", async () => {
    const anon = await app.inject({ url: "/admin/reports" });
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/admin\/login/);
    assert.equal((await get("/admin/reports", editor)).statusCode, 403, "editors do not handle the report");
    const list = await get("/admin/reports", admin);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /2025年度报告尚未发布，已超过截止日期2026-01-31/);
    assert.match(list.body, /<link rel="stylesheet" href="\/static\/report.css">/);
    assert.doesNotMatch(list.body, /<style/);
    assert.doesNotMatch(list.body, /另一测试县人力资源和社会保障局/);
    // The console navigation offers the reports page.
    assert.match(list.body, /href="\/admin\/reports"/);
  });

  it("generates, edits with field-level validation, refuses submission while checks fail, and publishes", async () => {
    assert.equal((await get(base, admin)).statusCode, 404, "no report yet");
    const gen = await post("/admin/agencies/report-test/reports/generate", admin, { year: "2025" });
    assert.equal(gen.statusCode, 303);
    assert.equal(gen.headers.location, `${base}?done=generate`);
    const page = await get(`${base}?done=generate`, admin);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /校验通过/);
    assert.match(page.body, /路由测试县人力资源和社会保障局2025年政府信息公开工作年度报告/);
    assert.doesNotMatch(page.body, /<style/);
    const headings = parse(page.body).querySelectorAll("main h1, main h2, main h3");
    assert.equal(headings[0]?.tagName, "H1", "the page starts with its h1");
    assert.equal(headings.filter((h) => h.tagName === "H1").length, 1, "one h1");
    assert.equal((await get(base, otherAdmin)).statusCode, 404, "another agency's staff");

    // Field-level validation: the bad cell is marked and named.
    const form = await get(`${base}/edit/proactive`, admin);
    assert.equal(form.statusCode, 200);
    assert.ok(csrfFromPage(form.body));
    const bad = await post(`${base}/edit/proactive`, admin, {
      version: await version(),
      "proactive.item6.coercion.decisions": "3.5",
      "proactive.item8.administrative_fees.amount": "1.25",
    });
    assert.equal(bad.statusCode, 400);
    const badDoc = parse(bad.body);
    const input = badDoc.querySelector("#c-proactive-item6-coercion-decisions");
    assert.equal(input?.getAttribute("aria-invalid"), "true");
    assert.equal(input?.getAttribute("value"), "3.5", "the entered value is kept");
    assert.match(bad.body, /行政强制·本年处理决定数量应为非负整数/);
    // Typed with a Chinese input method in full-width mode: full-width digits, separator and spaces are read as
    // ASCII and stored as numbers.
    const ok = await post(`${base}/edit/proactive`, admin, {
      version: await version(),
      "proactive.item6.coercion.decisions": "\u3000３\u3000",
      "proactive.item8.administrative_fees.amount": "１．２５",
      "proactive.item5.licensing.decisions": "１，２０３",
    });
    assert.equal(ok.statusCode, 303);
    const stored = await db
      .selectFrom("annual_reports")
      .select("manual")
      .where("agency_id", "=", agency.id)
      .where("year", "=", 2025)
      .executeTakeFirstOrThrow();
    assert.equal(stored.manual["proactive.item6.coercion.decisions"], 3);
    assert.equal(stored.manual["proactive.item8.administrative_fees.amount"], 1.25);
    assert.equal(stored.manual["proactive.item5.licensing.decisions"], 1203);

    // Every edit page renders; table 三 as a grid of the 24 editable rows × 6 applicant types (totals computed).
    const grid = await get(`${base}/edit/applications`, admin);
    assert.equal(grid.statusCode, 200);
    const gridInputs = parse(grid.body).querySelectorAll("table.cell-grid input");
    assert.equal(gridInputs.length, 24 * 6);
    assert.ok(
      gridInputs.every((i) => (i.getAttribute("aria-label") ?? "").length > 0),
      "every grid input is labelled",
    );
    assert.equal(
      gridInputs
        .find((i) => i.getAttribute("name") === "applications.withheld_state_secret.research")
        ?.getAttribute("aria-label"),
      "三（三）1.属于国家秘密[科研机构]",
    );
    for (const section of ["review_litigation", "other_matters"]) {
      assert.equal((await get(`${base}/edit/${section}`, admin)).statusCode, 200, section);
    }
    assert.equal((await get(`${base}/edit/nonsense`, admin)).statusCode, 404);
    assert.equal((await get(`${base}/edit/text`, editor)).statusCode, 403);

    // Narratives.
    assert.equal((await get(`${base}/edit/text`, admin)).statusCode, 200);
    const t = await post(`${base}/edit/text`, admin, {
      version: await version(),
      problems: "平台栏目设置有待优化。",
    });
    assert.equal(t.statusCode, 303);
    assert.match((await get(base, admin)).body, /平台栏目设置有待优化。/);

    // An entry that breaks 一 + 二 = 三（七） + 四: submission refused with the cells named.
    await post(`${base}/edit/applications`, admin, {
      version: await version(),
      "applications.received.research": "2",
    });
    const refused = await post(`${base}/submit`, admin, { version: await version() });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /report_check_failed/);
    assert.match(refused.body, /一、本年新收\[科研机构\]/);
    // The API says the same, with the findings.
    const s = await signIn(app, admin);
    const api = await app.inject({
      method: "POST",
      url: "/api/v1/reports/report-test/2025/transitions/submit",
      headers: s.headers,
      payload: {},
    });
    assert.equal(api.statusCode, 409);
    const apiBody = api.json() as { error: { code: string; details: { findings: { cells: string[] }[] } } };
    assert.equal(apiBody.error.code, "report_check_failed");
    assert.ok(
      apiBody.error.details.findings.some((f) => f.cells.includes("四、结转下年度继续办理[科研机构]")),
    );

    // Fix it, then submit → review (agency_admin) → approve/publish (approver only).
    await post(`${base}/edit/applications`, admin, {
      version: await version(),
      "applications.received.research": "",
    });
    assert.equal((await post(`${base}/submit`, admin, { version: await version() })).statusCode, 303);
    assert.equal((await post(`${base}/review`, admin, { version: await version() })).statusCode, 303);
    assert.equal(
      (await post(`${base}/approve`, admin, { version: await version(approver) })).statusCode,
      403,
    );
    assert.equal(
      (await post(`${base}/approve`, approver, { version: await version(approver) })).statusCode,
      303,
    );

    // Not public before publication.
    assert.equal((await app.inject({ url: "/agencies/report-test/reports/2025" })).statusCode, 404);
    assert.equal(
      (await app.inject({ url: "/agencies/report-test/reports/2025/files/report.json" })).statusCode,
      404,
    );

    // The agency administrator has no action left on an approved report; the approver publishes.
    assert.doesNotMatch((await get(base, admin)).body, /name="version"/);
    const published = await post(`${base}/publish`, approver, { version: await version(approver) });
    assert.equal(published.statusCode, 303);
    const after = await get(`${base}?done=publish`, admin);
    assert.match(after.body, /已发布/);
    assert.match(after.body, /逾期发布/);
  });

  it("editing a published report is refused", async () => {
    const r = await get(`${base}/edit/proactive`, admin);
    assert.equal(r.statusCode, 409);
    // A published report is corrected (更正) by an approver; there is no 退回 to point to.
    assert.match(r.body, /该年度报告已发布，只有起草中的报告可以修改；如需修改，请由审签人在报告页面“更正”/);
    assert.doesNotMatch(r.body, /请先退回/);
    // The published page offers no edit forms; a forged request is refused all the same.
    assert.doesNotMatch((await get(base, admin)).body, /name="version"/);
    const p = await post(`${base}/edit/text`, admin, { version: "1", problems: "改" });
    assert.equal(p.statusCode, 409);
    assert.match(p.body, /report_invalid_transition/);
    assert.doesNotMatch(p.body, /请先退回/);
  });

  it("downloads from the console", async () => {
    const docx = await get(`${base}/files/report.docx`, admin);
    assert.equal(docx.statusCode, 200);
    assert.match(String(docx.headers["content-type"]), /wordprocessingml/);
    assert.match(
      String(docx.headers["content-disposition"]),
      /^attachment; filename="annual-report-2025.docx"; filename\*=UTF-8''/,
    );
    assert.equal((await get(`${base}/files/report.pdf`, admin)).statusCode, 404);
    const chart = await get(`${base}/chart`, admin);
    assert.equal(chart.statusCode, 200);
    assert.match(chart.body, /<svg /);
  });
});

describe("public portal", () => {
  it("shows the published report with download links and the 图解 page, styles from a static file", async () => {
    const r = await app.inject({ url: "/agencies/report-test/reports/2025" });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers["content-security-policy"]), /style-src 'self'/);
    assert.doesNotMatch(r.body, /<style/);
    assert.match(r.body, /<link rel="stylesheet" href="\/static\/report.css">/);
    for (const f of ["docx", "xlsx", "json", "html"]) {
      assert.match(r.body, new RegExp(`href="/agencies/report-test/reports/2025/files/report.${f}"`));
    }
    assert.match(r.body, /href="\/agencies\/report-test\/reports\/2025\/chart"/);
    const css = await app.inject({ url: "/static/report.css" });
    assert.equal(css.statusCode, 200);
    assert.match(css.body, /\.annual-report-table/);
    const chart = await app.inject({ url: "/agencies/report-test/reports/2025/chart" });
    assert.equal(chart.statusCode, 200);
    assert.equal((chart.body.match(/<svg /g) ?? []).length, 5);
    assert.doesNotMatch(chart.body, /<style/);
    // The portal's list (its own route) shows the report.
    const list = await app.inject({ url: "/agencies/report-test/reports" });
    assert.match(list.body, /href="\/agencies\/report-test\/reports\/2025"/);
    // Unknown or unpublished years, bad years.
    assert.equal((await app.inject({ url: "/agencies/report-test/reports/2024" })).statusCode, 404);
    assert.equal((await app.inject({ url: "/agencies/report-test/reports/abcd" })).statusCode, 404);
    assert.equal((await app.inject({ url: "/agencies/report-other/reports/2025" })).statusCode, 404);
  });

  it("downloads every format; JSON keyed by the official labels; HTML self-contained under a hash CSP", async () => {
    const json = await app.inject({ url: "/agencies/report-test/reports/2025/files/report.json" });
    assert.equal(json.statusCode, 200);
    const body = json.json() as Record<string, Record<string, Record<string, Record<string, number>>>>;
    assert.equal(
      body["二、主动公开政府信息情况"]?.["第二十条第（六）项"]?.["行政强制"]?.["本年处理决定数量"],
      3,
    );
    assert.equal(
      body["二、主动公开政府信息情况"]?.["第二十条第（八）项"]?.["行政事业性收费"]?.[
        "本年收费金额（单位：万元）"
      ],
      1.25,
    );
    const xlsx = await app.inject({ url: "/agencies/report-test/reports/2025/files/report.xlsx" });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString("latin1"), "PK");
    const htmlFile = await app.inject({ url: "/agencies/report-test/reports/2025/files/report.html" });
    assert.equal(htmlFile.statusCode, 200);
    assert.match(htmlFile.body, /<style>/);
    assert.match(
      String(htmlFile.headers["content-security-policy"]),
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/,
    );
    assert.match(String(htmlFile.headers["content-disposition"]), /^attachment/);
  });

  it("renders the tables with the official labels and merged-cell structure (国办公开办函〔2021〕30号)", async () => {
    const doc = parse((await app.inject({ url: "/agencies/report-test/reports/2025" })).body);
    const h2 = doc.querySelectorAll("article.annual-report h2").map(text);
    assert.deepEqual(h2, [
      "一、总体情况",
      "二、主动公开政府信息情况",
      "三、收到和处理政府信息公开申请情况",
      "四、政府信息公开行政复议、行政诉讼情况",
      "五、存在的主要问题及改进情况",
      "六、其他需要报告的事项",
    ]);

    // Table 二: four sub-tables headed by the article clauses, 4 grid columns.
    const t2 = doc.querySelector("#ar-table-proactive");
    assert.ok(t2);
    const t2Headings = t2.querySelectorAll("th[colspan='4']").map(text);
    assert.deepEqual(t2Headings, [
      "第二十条第（一）项",
      "第二十条第（五）项",
      "第二十条第（六）项",
      "第二十条第（八）项",
    ]);
    assert.deepEqual(t2.querySelectorAll("th[scope='col']").map(text), [
      "信息内容",
      "本年制发件数",
      "本年废止件数",
      "现行有效件数",
      "信息内容",
      "本年处理决定数量",
      "信息内容",
      "本年处理决定数量",
      "信息内容",
      "本年收费金额（单位：万元）",
    ]);
    assert.deepEqual(t2.querySelectorAll("th[scope='row']").map(text), [
      "规章",
      "行政规范性文件",
      "行政许可",
      "行政处罚",
      "行政强制",
      "行政事业性收费",
    ]);
    for (const td of t2
      .querySelectorAll("tbody")
      .slice(1)
      .flatMap((b) => b.querySelectorAll("td"))) {
      assert.equal(td.getAttribute("colspan"), "3", "single values span 3 columns");
    }

    // Table 三: header, 25 rows in official order, 7 data cells each.
    const t3 = doc.querySelector("#ar-table-applications");
    assert.ok(t3);
    const head = t3.querySelectorAll("thead tr");
    assert.equal(head.length, 3);
    const corner = head[0]?.querySelector("td");
    assert.equal(text(corner), "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    assert.equal(corner?.getAttribute("colspan"), "3");
    assert.equal(corner?.getAttribute("rowspan"), "3");
    assert.deepEqual(
      head.map((tr) => tr.querySelectorAll("th").map(text)),
      [
        ["申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
      ],
    );
    assert.equal(head[1]?.querySelectorAll("th")[1]?.getAttribute("colspan"), "5");
    const rows = t3.querySelectorAll("tbody tr");
    assert.equal(rows.length, 25);
    const labels = rows.map((tr) => tr.querySelectorAll("th").map(text));
    assert.deepEqual(labels, [
      ["一、本年新收政府信息公开申请数量"],
      ["二、上年结转政府信息公开申请数量"],
      ["三、本年度办理结果", "（一）予以公开"],
      ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
      ["（三）不予公开", "1.属于国家秘密"],
      ["2.其他法律行政法规禁止公开"],
      ["3.危及“三安全一稳定”"],
      ["4.保护第三方合法权益"],
      ["5.属于三类内部事务信息"],
      ["6.属于四类过程性信息"],
      ["7.属于行政执法案卷"],
      ["8.属于行政查询事项"],
      ["（四）无法提供", "1.本机关不掌握相关政府信息"],
      ["2.没有现成信息需要另行制作"],
      ["3.补正后申请内容仍不明确"],
      ["（五）不予处理", "1.信访举报投诉类申请"],
      ["2.重复申请"],
      ["3.要求提供公开出版物"],
      ["4.无正当理由大量反复申请"],
      ["5.要求行政机关确认或重新出具已获取信息"],
      ["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
      ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
      ["3.其他"],
      ["（七）总计"],
      ["四、结转下年度继续办理"],
    ]);
    for (const tr of rows) assert.equal(tr.querySelectorAll("td").length, 7);
    const span = (label: string) =>
      t3
        .querySelectorAll("th")
        .find((th) => text(th) === label)
        ?.getAttribute("rowspan");
    assert.equal(span("三、本年度办理结果"), "22");
    assert.equal(span("（三）不予公开"), "8");
    assert.equal(span("（四）无法提供"), "3");
    assert.equal(span("（五）不予处理"), "5");
    assert.equal(span("（六）其他处理"), "3");

    // Table 四: 行政复议 (5) | 行政诉讼 (10) over 未经复议直接起诉 / 复议后起诉; one row of 15 cells.
    const t4 = doc.querySelector("#ar-table-review-litigation");
    assert.ok(t4);
    const h4 = t4
      .querySelectorAll("thead tr")
      .map((tr) => tr.querySelectorAll("th").map((th) => `${text(th)}/${th.getAttribute("colspan") ?? 1}`));
    assert.deepEqual(h4, [
      ["行政复议/5", "行政诉讼/10"],
      [
        "结果维持/1",
        "结果纠正/1",
        "其他结果/1",
        "尚未审结/1",
        "总计/1",
        "未经复议直接起诉/5",
        "复议后起诉/5",
      ],
      Array.from({ length: 2 }, () => [
        "结果维持/1",
        "结果纠正/1",
        "其他结果/1",
        "尚未审结/1",
        "总计/1",
      ]).flat(),
    ]);
    assert.equal(t4.querySelectorAll("tbody td").length, 15);
  });
});

describe("supervisors", () => {
  it("read their region's reports, cannot change them, and compile the region's report", async () => {
    assert.equal((await get(base, supervisor)).statusCode, 200);
    // Another region's agency is not revealed (404); the old URL redirects there.
    assert.equal((await get("/admin/agencies/report-other/reports/2025", supervisor)).statusCode, 404);
    const old = await get("/admin/reports/report-test/2025/chart?x=1", supervisor);
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, "/admin/agencies/report-test/reports/2025/chart?x=1");
    assert.equal(
      (await post("/admin/agencies/report-test/reports/generate", supervisor, { year: "2025" })).statusCode,
      403,
    );
    const moved = await post("/admin/reports/report-test/2025/submit", supervisor, {});
    assert.equal(moved.statusCode, 403, "the old URL of a step keeps the step's own policy");
    const list = await get("/admin/region-reports", supervisor);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /路由测试县/);
    assert.doesNotMatch(list.body, /另一测试县/);
    assert.equal(
      (await post(`/admin/region-reports/${otherRegion.id}/generate`, supervisor, { year: "2025" }))
        .statusCode,
      403,
    );
    const gen = await post(`/admin/region-reports/${region.id}/generate`, supervisor, { year: "2025" });
    assert.equal(gen.statusCode, 303);
    const page = await get(`/admin/region-reports/${region.id}/2025`, supervisor);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /路由测试县人民政府2025年政府信息公开工作年度报告/);
    assert.match(page.body, /已纳入（1）：路由测试县人力资源和社会保障局/);
    const bad = await post(`/admin/region-reports/${region.id}/2025/text`, supervisor, { name: "x" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /名称应为2至100个字/);
    const saved = await post(`/admin/region-reports/${region.id}/2025/text`, supervisor, {
      name: "路由测试县人民政府办公室",
      otherMatters: "本年度工作考核结果为优秀。",
    });
    assert.equal(saved.statusCode, 303);
    const docx = await get(`/admin/region-reports/${region.id}/2025/files/report.docx`, supervisor);
    assert.equal(docx.statusCode, 200);
    assert.match(
      decodeURIComponent(String(docx.headers["content-disposition"])),
      /路由测试县人民政府办公室2025年政府信息公开工作年度报告\.docx/,
    );
    assert.equal(
      (await get(`/admin/region-reports/${region.id}/2025`, admin)).statusCode,
      403,
      "agency staff do not aggregate",
    );
  });
});

describe("JSON API", () => {
  it("reads the report with its findings and the label-keyed data", async () => {
    const s = await signIn(app, admin);
    const r = await app.inject({ url: "/api/v1/reports/report-test/2025", headers: s.headers });
    assert.equal(r.statusCode, 200);
    const body = r.json() as {
      status: string;
      findings: unknown[];
      publishedLate: boolean;
      report: Record<string, unknown>;
    };
    assert.equal(body.status, "published");
    assert.deepEqual(body.findings, []);
    assert.equal(body.publishedLate, true);
    assert.ok(body.report["三、收到和处理政府信息公开申请情况"]);
    const other = await app.inject({ url: "/api/v1/reports/report-other/2025", headers: s.headers });
    assert.equal(other.statusCode, 404);
  });
});

describe("routes", () => {
  it("every report route declares a policy", () => {
    const mine = (app as FastifyInstance).routeTable.filter((r) => r.url.includes("report"));
    assert.ok(mine.length >= 20, String(mine.length));
    for (const r of mine) assert.ok(r.policy, `${r.method} ${r.url}`);
  });
});

describe("the region's compiled report on the portal", () => {
  it("is published by a supervisor, then shown at /regions/{id}/reports with downloads", async () => {
    const index = `/regions/${region.id}/reports`;
    const empty = await get(index);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /暂无已发布的年度报告/);
    assert.equal((await get(`${index}/2025`)).statusCode, 404, "not published yet");
    assert.equal((await get("/regions/not-a-region/reports")).statusCode, 404);
    assert.equal((await get("/regions/00000000-0000-4000-8000-000000000000/reports")).statusCode, 404);
    const home = await get("/");
    assert.match(home.body, new RegExp(`href="/regions/${region.id}/reports"`), "linked from the home page");

    const publish = `/admin/region-reports/${region.id}/2025/publish`;
    assert.equal((await post(publish, admin)).statusCode, 403, "agency staff do not publish it");
    assert.equal(
      (await post(`/admin/region-reports/${otherRegion.id}/2025/publish`, supervisor)).statusCode,
      403,
      "another region's supervisor",
    );
    const done = await post(publish, supervisor);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/admin/region-reports/${region.id}/2025?done=publish`);
    const staff = await get(String(done.headers.location), supervisor);
    assert.match(staff.body, /已于2026-03-16发布到门户/);

    const list = await get(index);
    assert.match(list.body, /路由测试县人民政府办公室2025年政府信息公开工作年度报告/);
    assert.match(list.body, new RegExp(`href="${index}/2025"`));
    const pageRes = await get(`${index}/2025`);
    assert.equal(pageRes.statusCode, 200);
    assert.match(pageRes.body, /发布日期：2026-03-16/);
    assert.match(pageRes.body, /本年度工作考核结果为优秀。/);
    for (const [file, type] of [
      ["report.docx", /wordprocessingml/],
      ["report.xlsx", /spreadsheetml/],
      ["report.json", /application\/json/],
    ] as const) {
      const r = await get(`${index}/2025/files/${file}`);
      assert.equal(r.statusCode, 200, file);
      assert.match(String(r.headers["content-type"]), type, file);
    }
    assert.equal((await get(`${index}/2025/files/report.exe`)).statusCode, 404);
    assert.equal((await get(`${index}/2024/files/report.json`)).statusCode, 404);
  });
});

describe("correcting a published report (更正)", () => {
  it("an approver reopens it as a new revision; the portal shows the correction note and the old revision", async () => {
    const reason = { reason: "行政强制处理决定数量有误" };
    assert.equal((await post(`${base}/correct`, admin, reason)).statusCode, 403, "approvers only");
    const noReason = await post(`${base}/correct`, approver, { version: await version(approver) });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /请填写更正原因/);
    const before = (await get("/agencies/report-test/reports/2025/files/report.json")).body;

    const corrected = await post(`${base}/correct`, approver, {
      ...reason,
      version: await version(approver),
    });
    assert.equal(corrected.statusCode, 303);
    assert.equal(corrected.headers.location, `${base}?done=correct`);
    const staff = await get(`${base}?done=correct`, admin);
    assert.match(staff.body, /已开始更正/);
    assert.match(staff.body, /第2版（更正），更正尚未发布/);
    // The portal keeps the published revision meanwhile.
    const during = await get("/agencies/report-test/reports/2025");
    assert.equal(during.statusCode, 200);
    assert.doesNotMatch(during.body, /更正/);

    const edit = await post(`${base}/edit/proactive`, admin, {
      version: await version(),
      "proactive.item6.coercion.decisions": "4",
    });
    assert.equal(edit.statusCode, 303);
    for (const [t, user] of [
      ["submit", admin],
      ["review", admin],
      ["approve", approver],
      ["publish", approver],
    ] as const) {
      const r = await post(`${base}/${t}`, user, { version: await version(user) });
      assert.equal(r.statusCode, 303, t);
    }
    const pub = await get("/agencies/report-test/reports/2025");
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /本报告已于2026-03-16更正/);
    assert.match(pub.body, /更正原因：行政强制处理决定数量有误/);
    const oldUrl = "/agencies/report-test/reports/2025/revisions/1/files/report.json";
    assert.match(pub.body, new RegExp(`href="${oldUrl}"`));
    const old = await get(oldUrl);
    assert.equal(old.statusCode, 200);
    assert.equal(old.body, before, "revision 1 as it was published");
    const now = await get("/agencies/report-test/reports/2025/files/report.json");
    assert.notEqual(now.body, before);
    assert.equal(
      (await get("/agencies/report-test/reports/2025/revisions/9/files/report.json")).statusCode,
      404,
    );
    assert.equal(
      (await get("/agencies/report-test/reports/2025/revisions/x/files/report.json")).statusCode,
      404,
    );
  });
});
