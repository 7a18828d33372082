/**
 * Issue 19 "Done when", in real Chromium under the app's strict CSP: a 股室信息员 drafts a record in the rich-text
 * editor, pastes a Word-formatted body (headings, paragraphs, a table: a synthesised clipboard paste with Word's
 * HTML), is refused for another unit's item without losing the typed text, follows the advice and submits; the
 * reviewer, the approver (审签) and the 政务公开办 (发布) each find the record only through their 工作台; the
 * portal shows the body with its heading and table. axe runs on the editor and on each step's page.
 *
 * Run: npm run test:browser -- src/publishing/console-workflow.browser.test.ts
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { axe, launchChromium, listen, staffContext, watchCsp } from "../../test/browser.ts";
import { createAgency, createDepartment, createUser, type TestUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";

/** Word's clipboard HTML (cut down): Office namespaces, conditional comments, MsoNormal, spans with mso- styles. */
const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta charset="utf-8"><style><!-- p.MsoNormal {margin:0cm;font-family:仿宋_GB2312} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=ZH-CN><!--StartFragment-->
<h1 style="mso-outline-level:1"><span style="font-family:黑体;mso-ascii-font-family:黑体">一、补贴对象</span><o:p></o:p></h1>
<p class=MsoNormal style="text-indent:32.0pt"><span style="font-size:16.0pt;font-family:仿宋_GB2312">在本县登记失业的就业困难人员。</span><o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<h1 style="mso-outline-level:1"><span style="font-family:黑体">二、补贴标准</span></h1>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style="border-collapse:collapse;mso-yfti-tbllook:1184">
<tr><td width=200 valign=top style="border:solid windowtext 1.0pt"><p class=MsoNormal><span lang=EN-US>项目</span></p></td>
<td width=200 valign=top style="border:solid windowtext 1.0pt"><p class=MsoNormal><span>标准</span></p></td></tr>
<tr><td style="border:solid windowtext 1.0pt"><p class=MsoNormal><span>社会保险补贴</span></p></td>
<td style="border:solid windowtext 1.0pt"><p class=MsoNormal><span>每人每月300元</span></p></td></tr>
</table>
<p class=MsoNormal><span style="font-family:仿宋_GB2312">自发布之日起施行。</span><o:p></o:p></p>
<!--EndFragment--></body></html>`;
const WORD_TEXT =
  "一、补贴对象\r\n在本县登记失业的就业困难人员。\r\n二、补贴标准\r\n项目\t标准\r\n社会保险补贴\t每人每月300元\r\n自发布之日起施行。";

const TITLE = "关于发放2026年社会保险补贴的通知";

describe("issue 19 done-when: four roles through the 工作台, a Word paste, a refusal without lost text", async () => {
  const deps = await createTestDeps({ clock: fixedClock("2026-03-16T10:00:00+08:00") });
  const db = deps.db;
  // The 索引号 needs the agency's 统一社会信用代码.
  const agency = await createAgency(db, {
    name: "测试县人力资源和社会保障局",
    creditCode: "11341702486344515H",
  });
  const jobs = await createDepartment(db, agency.id, "就业促进股");
  const office = await createDepartment(db, agency.id, "局办公室");
  await createPublishedCatalog(db, agency.id, [
    { key: "policy", name: "就业补贴政策", deadline: "信息形成之日起20个工作日内", departmentId: jobs.id },
    { key: "budget", name: "部门预算", deadline: "批复后20日内", departmentId: office.id },
  ]);
  const clerk = await createUser(db, {
    roles: [{ role: "editor", agencyId: agency.id, departmentId: jobs.id }],
    agencyId: agency.id,
    displayName: "张信息员",
  });
  const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id, displayName: "李审核" });
  const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id, displayName: "王审签" });
  const office1 = await createUser(db, {
    roles: ["agency_admin"],
    agencyId: agency.id,
    displayName: "赵公开办",
  });
  const app = await buildApp(deps);
  const base = await listen(app);
  const browser = await launchChromium();
  after(async () => {
    await browser.close();
    await app.close();
  });

  async function as(user: TestUser): Promise<{ page: Page; csp: string[]; errors: string[] }> {
    const context = await staffContext(browser, app, base, user.id);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, csp: watchCsp(page), errors };
  }

  /** From the 工作台: the record's link in the named to-do section. */
  async function openFromWorklist(page: Page, section: string): Promise<void> {
    await page.goto(`${base}/admin`);
    const box = page.locator(".work-section", {
      has: page.getByRole("heading", { name: new RegExp(section) }),
    });
    await box.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(`**/admin/agencies/${agency.slug}/records/*`);
  }

  let recordPath = "";

  it("the clerk drafts in the editor, pastes from Word, is refused for another unit's item and keeps the text", async () => {
    const { page, csp, errors } = await as(clerk);
    await page.goto(`${base}/admin`);
    await page
      .getByRole("navigation", { name: "工作台导航" })
      .getByRole("link", { name: /信息发布/ })
      .click();
    await page.getByRole("link", { name: "新建信息" }).click();
    await page.waitForURL("**/records/new");
    const editor = page.getByRole("textbox", { name: "正文" });
    assert.equal(await editor.isVisible(), true, "the editor replaces the textarea");
    assert.equal(await page.locator("textarea[name=bodyHtml]").isVisible(), false);
    await axe(page, "record form with the editor");

    await page.locator("input[name=title]").fill(TITLE);
    await page.locator("input[name=issuingAgency]").fill(agency.name);
    await page.locator("input[name=formedDate]").fill("2026-03-10");
    await page.locator("select[name=itemId]").selectOption({ label: "一 就业创业 › 2 部门预算" });
    // Typed text, then a paste from Word at the end.
    await editor.click();
    await page.keyboard.type("为做好社会保险补贴发放工作，现将有关事项通知如下：");
    await page.keyboard.press("Enter");
    // A string: this file is type-checked without the DOM library.
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.setData("text/html", ${JSON.stringify(WORD_HTML)});
      dt.setData("text/plain", ${JSON.stringify(WORD_TEXT)});
      document.querySelector(".editor-area").dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }),
      );
    })()`);
    await page.locator(".editor-area table td", { hasText: "每人每月300元" }).waitFor();
    const pasted = (await editor.innerHTML()) as string;
    assert.match(pasted, /<h2>一、补贴对象<\/h2>/);
    for (const gone of ["mso-", "Mso", "<span", "o:p", "style=", "class=", "<!--"]) {
      assert.ok(!pasted.includes(gone), `${gone} cleaned from the paste: ${pasted}`);
    }
    await page.getByRole("button", { name: "保存" }).click();

    // Refused: 部门预算 belongs to 局办公室. The form comes back with the title and the whole body.
    await page.locator("#error-summary").waitFor();
    assert.match((await page.locator("main").textContent()) ?? "", /请在“责任股室”中选择“就业促进股”/);
    assert.equal(await page.locator("input[name=title]").inputValue(), TITLE);
    const kept = (await page.getByRole("textbox", { name: "正文" }).innerHTML()) as string;
    assert.match(kept, /为做好社会保险补贴发放工作/);
    assert.match(kept, /<td><p>每人每月300元<\/p><\/td>/);

    // The right item, and save.
    await page.locator("select[name=itemId]").selectOption({ label: "一 就业创业 › 1 就业补贴政策" });
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/\/admin\/agencies\/[^/]+\/records\/[0-9a-f-]{36}(\?.*)?$/);
    recordPath = new URL(page.url()).pathname;
    const body = page.locator(".record-body");
    assert.equal(await body.locator("h2", { hasText: "二、补贴标准" }).count(), 1);
    assert.equal(await body.locator("td", { hasText: "社会保险补贴" }).count(), 1);
    await page.getByRole("button", { name: "提交审核" }).click();
    await page.waitForURL(`**${recordPath}*`);
    assert.deepEqual(csp, [], "no CSP refusal");
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it("the reviewer, the approver and the 政务公开办 find it on their 工作台 and take it to publication", async () => {
    assert.ok(recordPath, "the draft was saved");
    {
      const { page, errors } = await as(reviewer);
      await openFromWorklist(page, "待我审核");
      for (const box of await page.locator("form[action$='/review'] input[type=checkbox]").all())
        await box.check();
      await page.getByRole("button", { name: "审核通过" }).click();
      await page.waitForURL(`**${recordPath}*`);
      await axe(page, "record after review");
      assert.deepEqual(errors, []);
      await page.context().close();
    }
    {
      const { page } = await as(approver);
      await openFromWorklist(page, "待我审签");
      await page.getByRole("button", { name: "审签通过" }).click();
      await page.waitForURL(`**${recordPath}*`);
      await page.context().close();
    }
    {
      const { page } = await as(office1);
      await openFromWorklist(page, "待我发布");
      await page.getByRole("button", { name: "发布", exact: true }).click();
      await page.waitForLoadState();
      assert.ok(
        new URL(page.url()).pathname === recordPath,
        (await page.locator("main").textContent())?.slice(0, 600),
      );
      await page.context().close();
    }
  });

  it("the portal shows the body with its headings, paragraphs and table", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const id = recordPath.split("/").at(-1);
    const res = await page.goto(`${base}/agencies/${agency.slug}/records/${id}`);
    assert.equal(res?.status(), 200);
    assert.equal(await page.locator("h1").textContent(), TITLE);
    const body = page.locator(".record-body");
    assert.equal(await body.locator("h2", { hasText: "一、补贴对象" }).count(), 1);
    assert.equal(await body.locator("p", { hasText: "在本县登记失业的就业困难人员。" }).count(), 1);
    assert.equal(await body.locator("table tr").count(), 2);
    assert.equal(await body.locator("td", { hasText: "每人每月300元" }).count(), 1);
    assert.equal(await body.locator("[style], [class*=Mso], span").count(), 0);
    await axe(page, "portal record with a pasted table");
    await context.close();
  });
});
