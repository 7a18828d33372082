/**
 * Issue 19, the rest of the console in real Chromium under the app's strict CSP: the 政策解读 picker searches as one
 * types and adds a document; the editor's table buttons add and remove rows and columns; a picture pasted as data
 * (as WPS and screenshots paste) is uploaded as an attachment and shown by its platform URL, in the console and on the
 * portal; a record with a phone number and an ID number is masked in one click each and publishes with the masked
 * text. axe runs on the pages it visits.
 *
 * Run: npm run test:browser -- src/publishing/console-editor.browser.test.ts
 */

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { axe, launchChromium, listen, staffContext, watchCsp } from "../../test/browser.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";
import { publishOn } from "./publishing.fixtures.ts";
import { PLATFORM_IMAGE_SRC } from "./record.paths.ts";
import { emptyContent } from "./record.service.ts";

/** A 1×1 PNG. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("issue 19: picker, table buttons, pasted pictures, one-click masking", async () => {
  const deps = await createTestDeps({ clock: fixedClock("2026-03-16T10:00:00+08:00") });
  const db = deps.db;
  // The 索引号 needs the agency's 统一社会信用代码.
  const agency = await createAgency(db, {
    name: "测试县人力资源和社会保障局",
    creditCode: "11341702486344515H",
  });
  const items = await createPublishedCatalog(db, agency.id, [
    { key: "policy", name: "就业补贴政策", deadline: "信息形成之日起20个工作日内" },
  ]);
  const admin = await createUser(db, {
    roles: ["agency_admin", "editor", "reviewer", "approver"],
    agencyId: agency.id,
    displayName: "赵公开办",
  });
  const actor = staffActor(admin);
  const itemId = items.policy?.id ?? null;
  for (const [i, title] of [
    "关于印发《就业补贴办法》的通知",
    "关于调整最低工资标准的通知",
    "关于做好养老保险工作的通知",
  ].entries())
    await publishOn(deps, actor, agency.id, `2026-03-0${i + 2}`, {
      ...emptyContent(agency.name, "2026-03-01"),
      title,
      formedDate: "2026-03-01",
      itemId,
      bodyHtml: "<p>正文。</p>",
    });
  const app = await buildApp(deps);
  const base = await listen(app);
  const browser = await launchChromium();
  after(async () => {
    await browser.close();
    await app.close();
  });
  const records = `${base}/admin/agencies/${agency.slug}/records`;

  async function staffPage(): Promise<{ page: Page; csp: string[]; errors: string[] }> {
    const context = await staffContext(browser, app, base, admin.id);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, csp: watchCsp(page), errors };
  }

  async function fillBasics(page: Page, title: string): Promise<void> {
    await page.locator("input[name=title]").fill(title);
    await page.locator("input[name=formedDate]").fill("2026-03-10");
    await page.locator("select[name=itemId]").selectOption({ index: 1 });
  }

  it("the 政策解读 picker searches as one types and adds a document", async () => {
    const { page, csp, errors } = await staffPage();
    await page.goto(`${records}/new`);
    await page.locator("select[name=kind]").selectOption("interpretation");
    await fillBasics(page, "《就业补贴办法》政策解读");
    const search = page.getByRole("searchbox", { name: "查找政策文件" });
    await search.pressSequentially("就业补贴");
    const add = page.getByRole("button", { name: "添加：关于印发《就业补贴办法》的通知" });
    await add.waitFor();
    assert.equal(
      await page.getByRole("button", { name: /^添加：/ }).count(),
      1,
      "only the matching document",
    );
    await axe(page, "record form with picker results");
    await add.click();
    const chosen = page.locator("#interp-chosen input[name=interpretsRecordIds]");
    assert.equal(await chosen.count(), 1);
    assert.equal(await chosen.isChecked(), true);
    // Enter in the search field searches; it does not submit the form.
    await search.fill("最低工资");
    await search.press("Enter");
    await page.getByRole("button", { name: "添加：关于调整最低工资标准的通知" }).waitFor();
    assert.match(page.url(), /\/records\/new$/);
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/\/records\/[0-9a-f-]{36}(\?.*)?$/);
    const links = page.locator("section[aria-labelledby=h-links] a");
    assert.deepEqual(await links.allTextContents(), ["关于印发《就业补贴办法》的通知"]);
    assert.deepEqual(csp, []);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it("table buttons add and remove rows and columns; a pasted picture is uploaded and shown on the portal", async () => {
    const { page, csp, errors } = await staffPage();
    await page.goto(`${records}/new`);
    await fillBasics(page, "关于发放社会保险补贴的通知");
    await page.getByRole("textbox", { name: "正文" }).click();
    await page.keyboard.type("补贴标准如下：");
    const toolbar = page.getByRole("toolbar", { name: "正文格式" });
    await toolbar.getByRole("button", { name: "插入表格" }).click();
    const table = page.locator(".editor-area table");
    const size = async () => ({
      rows: await table.locator("tr").count(),
      cols: await table.locator("tr").first().locator("th,td").count(),
    });
    assert.deepEqual(await size(), { rows: 2, cols: 2 });
    await table.locator("td").first().click();
    await toolbar.getByRole("button", { name: "插入行" }).click();
    await toolbar.getByRole("button", { name: "插入列" }).click();
    assert.deepEqual(await size(), { rows: 3, cols: 3 });
    // Keyboard: Enter on 删除列 (the caret stays in the new, empty cell).
    await table.locator("td").nth(1).click();
    const removeColumn = toolbar.getByRole("button", { name: "删除列" });
    await removeColumn.focus();
    await page.keyboard.press("Enter");
    assert.deepEqual(await size(), { rows: 3, cols: 2 });
    await table.locator("tbody tr").nth(1).locator("td").first().click();
    await toolbar.getByRole("button", { name: "删除行" }).click();
    assert.deepEqual(
      await size(),
      { rows: 2, cols: 2 },
      `${await page.locator(".editor-status").textContent()} ${await table.innerHTML()}`,
    );
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/\/records\/[0-9a-f-]{36}(\?.*)?$/);
    const recordPath = new URL(page.url()).pathname;
    assert.equal(await page.locator(".record-body table tr").count(), 2);
    assert.deepEqual(await page.locator(".record-body table th, .record-body table td").allTextContents(), [
      "表头",
      "表头",
      "内容",
      "内容",
    ]);

    // Edit: paste HTML with a data: picture (WPS) and a Word file: picture.
    await page.goto(`${base}${recordPath}/edit`);
    await page.getByRole("textbox", { name: "正文" }).click();
    await page.keyboard.press("Control+End");
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.setData("text/html", '<p>流程图：<img src="data:image/png;base64,${PNG_BASE64}" alt="流程图"><img src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png"></p>');
      dt.setData("text/plain", "流程图：");
      document.querySelector(".editor-area").dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }),
      );
    })()`);
    const img = page.locator(".editor-area img");
    await page.locator('.editor-area img[src^="/agencies/"]').waitFor();
    assert.equal(await img.count(), 1);
    assert.match((await img.getAttribute("src")) ?? "", PLATFORM_IMAGE_SRC);
    assert.match((await page.locator(".editor-status").textContent()) ?? "", /已上传1张图片/);
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(`**${recordPath}*`);
    const shown = page.locator(".record-body img");
    assert.equal(await shown.count(), 1);
    const src = (await shown.getAttribute("src")) ?? "";
    const draftImage = await page.request.get(`${base}${src}`);
    assert.equal(draftImage.status(), 200, "staff see the draft's image");
    assert.equal(draftImage.headers()["content-type"], "image/png");

    for (const [step, name] of [
      ["submit", "提交审核"],
      ["review", "审核通过"],
      ["approve", "审签通过"],
      ["publish", "发布"],
    ] as const) {
      if (step === "review")
        for (const box of await page.locator("form[action$='/review'] input[type=checkbox]").all())
          await box.check();
      await page.getByRole("button", { name, exact: true }).click();
      await page.waitForURL(`**${recordPath}*`);
    }
    const visitor = await browser.newContext({ locale: "zh-CN" });
    const portal = await visitor.newPage();
    await portal.goto(`${base}/agencies/${agency.slug}/records/${recordPath.split("/").at(-1)}`);
    const publicImg = portal.locator(".record-body img");
    assert.equal(await publicImg.count(), 1);
    assert.equal(await publicImg.getAttribute("src"), src);
    assert.equal((await portal.request.get(`${base}${src}`)).status(), 200, "the portal serves it");
    assert.equal(await portal.locator(".record-body table tr").count(), 2);
    await axe(portal, "portal record with a table and an image");
    await visitor.close();
    assert.deepEqual(csp, []);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it("a phone number and an ID number are masked in one click each and publish masked", async () => {
    const { page, csp } = await staffPage();
    await page.goto(`${records}/new`);
    await fillBasics(page, "行政处罚决定书");
    await page.getByRole("textbox", { name: "正文" }).click();
    await page.keyboard.type("当事人张三，联系电话13812341234，身份证号11010519491231002X，经查……");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/\/records\/[0-9a-f-]{36}(\?.*)?$/);
    const recordPath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "提交审核" }).click();
    await page.waitForURL(`**${recordPath}*`);
    const mask = page.getByRole("button", { name: /^一键脱敏/ });
    assert.equal(await mask.count(), 2, "two findings, one button each");
    await axe(page, "record page with personal-data findings");
    await mask.first().click();
    await page.waitForURL(`**${recordPath}*`);
    assert.equal(await page.getByRole("button", { name: /^一键脱敏/ }).count(), 1);
    await page.getByRole("button", { name: /^一键脱敏/ }).click();
    await page.waitForURL(`**${recordPath}*`);
    assert.equal(await page.getByRole("button", { name: /^一键脱敏/ }).count(), 0);
    const text = (await page.locator(".record-body").textContent()) ?? "";
    assert.match(text, /138\*{4}1234/);
    assert.match(text, /110\*+02X|11\*+2X|\*{4}/);
    assert.doesNotMatch(text, /13812341234|11010519491231002X/);

    for (const [step, name] of [
      ["submit", "提交审核"],
      ["review", "审核通过"],
      ["approve", "审签通过"],
      ["publish", "发布"],
    ] as const) {
      const button = page.getByRole("button", { name, exact: true });
      if ((await button.count()) === 0 && step === "submit") continue; // still submitted after masking
      if (step === "review")
        for (const box of await page.locator("form[action$='/review'] input[type=checkbox]").all())
          await box.check();
      await button.click();
      await page.waitForURL(`**${recordPath}*`);
    }
    const visitor = await browser.newContext({ locale: "zh-CN" });
    const portal = await visitor.newPage();
    const res = await portal.goto(`${base}/agencies/${agency.slug}/records/${recordPath.split("/").at(-1)}`);
    assert.equal(res?.status(), 200);
    const published = (await portal.locator(".record-body").textContent()) ?? "";
    assert.match(published, /138\*{4}1234/);
    assert.doesNotMatch(published, /13812341234|11010519491231002X/);
    await visitor.close();
    assert.deepEqual(csp, []);
    await page.context().close();
  });
});
