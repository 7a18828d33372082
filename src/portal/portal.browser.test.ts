/**
 * The portal in real Chromium (Debian's /usr/bin/chromium, never downloaded): the app listens on an ephemeral port
 * over a seeded test database. Browses from the home page to a record of each seed agency, searches for a
 * two-character word, switches to large text, works with JavaScript off and at 360 px, and runs axe-core on every
 * page type (zero violations). Screenshots of the main pages go to docs/screenshots/, others to test-artifacts/.
 *
 * Run: npm run test:browser
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { DEMO_AGENCIES } from "../agencies/demo-agencies.ts";
import { buildApp } from "../app.ts";
import type { Db } from "../db/database.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { seedDemo } from "../seed.ts";
import { flattenItems } from "./portal.model.ts";
import { publishedCatalogTree } from "./portal.service.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SCREENSHOTS = path.join(ROOT, "docs", "screenshots");
const ARTIFACTS = path.join(ROOT, "test-artifacts", "portal");
const AXE = path.join(ROOT, "node_modules", "axe-core", "axe.min.js");
const CHROMIUM = "/usr/bin/chromium";

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Makes sure every seed agency has published records to browse (until publishing seeds its own demo records). */
async function ensureDemoRecords(db: Db): Promise<void> {
  for (const demo of DEMO_AGENCIES) {
    const agency = await getAgencyBySlug(db, demo.slug);
    const n = await db
      .selectFrom("records")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("agency_id", "=", agency.id)
      .where("status", "=", "published")
      .executeTakeFirstOrThrow();
    if (Number(n.n) > 0) continue;
    const catalog = await publishedCatalogTree({ db }, agency.id);
    const leaves = catalog ? flattenItems(catalog.items).filter((i) => i.children.length === 0) : [];
    const [first, second] = leaves;
    await insertTestRecord(db, agency.id, {
      title: `${demo.shortName}关于做好社保补贴申领工作的通知`,
      body: "为落实社会保险补贴政策，现将社保补贴申领有关事项通知如下：\n一、申领对象。\n二、申领材料。\n三、办理时限：自受理之日起20个工作日内办结。",
      summary: "社保补贴申领对象、材料和时限。",
      docNumber: `${demo.shortName.slice(0, 2)}人社发〔2026〕1号`,
      itemKey: first?.stableKey ?? null,
      publishedDate: "2026-03-02",
      issuingAgency: demo.name,
    });
    await insertTestRecord(db, agency.id, {
      title: `${demo.shortName}2025年就业补贴资金使用情况公示`,
      body: "根据就业补贴资金管理办法，现将2025年度就业补贴资金使用情况予以公示。",
      itemKey: (second ?? first)?.stableKey ?? null,
      publishedDate: "2026-02-10",
      issuingAgency: demo.name,
    });
    await insertTestRecord(db, agency.id, {
      title: `${demo.shortName}关于废止部分规范性文件的决定（旧文）`,
      body: "本文件已废止。",
      itemKey: first?.stableKey ?? null,
      publishedDate: "2024-05-20",
      validity: "废止",
      repealDate: "2025-12-31",
      issuingAgency: demo.name,
    });
  }
}

describe("portal in Chromium", async () => {
  const { db } = await createTestDatabase();
  const deps = await createTestDeps({ db });
  await seedDemo(deps);
  await ensureDemoRecords(db);
  const app: FastifyInstance = await buildApp(deps);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Playwright gives every launch a fresh temporary --user-data-dir (and deletes it on close).
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context: BrowserContext = await browser.newContext({
    // Only so the test can inject axe-core: the app's CSP rightly forbids injected scripts.
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
  });
  const page: Page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));

  after(async () => {
    await browser.close();
    await app.close();
  });

  async function axe(p: Page, label: string): Promise<void> {
    await p.addScriptTag({ path: AXE });
    // A string expression: this file is type-checked without the DOM library.
    const result = (await p.evaluate(
      `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })`,
    )) as { violations: AxeViolation[] };
    const summary = result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)}`).join("\n    ")}`,
    );
    assert.deepEqual(summary, [], `${label}: axe violations\n${summary.join("\n")}`);
  }

  async function shot(p: Page, name: string, committed: boolean): Promise<void> {
    await p.screenshot({
      path: path.join(committed ? SCREENSHOTS : ARTIFACTS, `${name}.png`),
      fullPage: !committed,
    });
  }

  const visited: Record<string, string> = {};

  it("browses from the home page to a record of each seed agency", async () => {
    for (const demo of DEMO_AGENCIES) {
      await page.goto(base);
      await page.getByRole("link", { name: demo.name, exact: true }).click();
      await page.waitForURL(`**/agencies/${demo.slug}`);
      assert.ok((await page.locator("h1").textContent())?.startsWith(demo.name), demo.name);
      visited.agency ??= page.url();
      await page
        .getByRole("navigation", { name: `${demo.shortName}专栏导航` })
        .getByRole("link", { name: "法定主动公开内容" })
        .click();
      await page.waitForURL(`**/agencies/${demo.slug}/catalog`);
      visited.catalog ??= page.url();
      // An item that has records (count badge "N 条" with N > 0), at the deepest level that has one.
      const withRecords = page
        .locator(".catalog-tree .tree-item :is(h2,h3,h4)")
        .filter({ hasNotText: /(^|\s)0 条/ });
      assert.ok((await withRecords.count()) > 0, `${demo.slug}: an item with records`);
      await withRecords.last().getByRole("link").click();
      await page.waitForURL(`**/agencies/${demo.slug}/catalog/**`);
      visited.item ??= page.url();
      const recordLink = page.locator(".record-list a").first();
      const title = await recordLink.textContent();
      await recordLink.click();
      await page.waitForURL(`**/agencies/${demo.slug}/records/**`);
      assert.equal(await page.locator("h1").textContent(), title);
      assert.equal(await page.locator("table.meta-table th", { hasText: "索引号" }).count(), 1);
      visited.record ??= page.url();
    }
    assert.deepEqual(pageErrors, []);
  });

  it("searches for a two-character word from the home page and opens a result", async () => {
    await page.goto(base);
    await page.getByLabel("搜索政府信息").fill("就业");
    await page.getByRole("button", { name: "搜索" }).click();
    await page.waitForURL("**/search?q=*");
    const count = (await page.locator(".result-count").textContent()) ?? "";
    assert.match(count, /找到 \d+ 条与“就业”相关的信息/);
    assert.ok((await page.locator(".results mark").count()) > 0, "highlighted matches");
    visited.search = page.url();
    await shot(page, "search", true);
    const first = page.locator(".results .result-title a").first();
    const title = await first.textContent();
    await first.click();
    await page.waitForURL("**/records/**");
    assert.equal(await page.locator("h1").textContent(), title);
  });

  it("switches to large text, and the setting persists across pages", async () => {
    await page.goto(visited.record as string);
    const before = (await page.evaluate("getComputedStyle(document.body).fontSize")) as string;
    await page.getByRole("link", { name: "大字模式" }).click();
    await page.waitForURL(visited.record as string);
    assert.match((await page.getAttribute("body", "class")) ?? "", /large-text/);
    const afterSize = (await page.evaluate("getComputedStyle(document.body).fontSize")) as string;
    assert.ok(Number.parseFloat(afterSize) > Number.parseFloat(before), `${before} → ${afterSize}`);
    await shot(page, "record-large-text", false);
    await page.goto(base);
    assert.match((await page.getAttribute("body", "class")) ?? "", /large-text/);
    await axe(page, "home (large text)");
    await page.getByRole("link", { name: "高对比度" }).click();
    assert.match((await page.getAttribute("body", "class")) ?? "", /high-contrast/);
    await axe(page, "home (large text, high contrast)");
    await page.getByRole("link", { name: "标准字号" }).click();
    await page.getByRole("link", { name: "标准配色" }).click();
    assert.doesNotMatch((await page.getAttribute("body", "class")) ?? "", /large-text|high-contrast/);
  });

  it("has no axe violations on any page type, and saves screenshots", async () => {
    const qi = DEMO_AGENCIES[0]?.slug as string;
    const pages: { name: string; url: string; committed?: boolean }[] = [
      { name: "home", url: `${base}/`, committed: true },
      { name: "agency", url: visited.agency as string, committed: true },
      { name: "guide", url: `${base}/agencies/${qi}/guide`, committed: true },
      { name: "catalog", url: visited.catalog as string, committed: true },
      { name: "item", url: visited.item as string },
      { name: "record", url: visited.record as string, committed: true },
      { name: "search-results", url: visited.search as string },
      { name: "search-empty", url: `${base}/search?q=${encodeURIComponent("没有这样的内容啊")}` },
      { name: "search-form", url: `${base}/search` },
      {
        name: "agency-search",
        url: `${base}/agencies/${qi}/search?q=${encodeURIComponent("补贴")}&sort=date`,
      },
      { name: "reports", url: `${base}/agencies/${qi}/reports` },
      { name: "accessibility", url: `${base}/accessibility` },
      { name: "not-found", url: `${base}/agencies/${qi}/records/00000000-0000-4000-8000-000000000000` },
    ];
    for (const p of pages) {
      const res = await page.goto(p.url);
      assert.ok(res, p.name);
      assert.ok(
        res.status() === 200 || (p.name === "not-found" && res.status() === 404),
        `${p.name}: ${res.status()}`,
      );
      await axe(page, p.name);
      await shot(page, p.name, p.committed ?? false);
    }
    // A record that is no longer in force: the banner is visible.
    const repealed = page.locator(".record-list a", { hasText: "废止" });
    await page.goto(`${base}/agencies/${qi}`);
    if ((await repealed.count()) > 0) {
      await repealed.first().click();
      await page.waitForURL("**/records/**");
      assert.ok(await page.locator(".banner-invalid").isVisible());
      await axe(page, "record (废止)");
      await shot(page, "record-repealed", false);
    }
  });

  it("the guide editor has no axe violations", async () => {
    const agency = await getAgencyBySlug(db, DEMO_AGENCIES[0]?.slug as string);
    const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
    const creds = await app.credentials.forUser(admin.id);
    const staff = await browser.newContext({ bypassCSP: true, locale: "zh-CN" });
    const p = await staff.newPage();
    await p.context().addCookies(
      creds.cookie.split(/;\s*/).map((c) => {
        const i = c.indexOf("=");
        return { name: c.slice(0, i), value: c.slice(i + 1), url: base };
      }),
    );
    await p.goto(`${base}/admin/agencies/${agency.slug}/guide`);
    assert.ok((await p.locator("h1").first().textContent())?.startsWith("政府信息公开指南"));
    await axe(p, "admin guide");
    await p.getByLabel("联系电话").fill("0471-1234567");
    await p.getByRole("button", { name: "保存" }).click();
    await p.waitForURL(`**/admin/agencies/${agency.slug}/guide?saved=1`);
    await axe(p, "admin guide (saved)");
    await p.goto(`${base}/agencies/${agency.slug}/guide`);
    assert.match((await p.locator("main").textContent()) ?? "", /0471-1234567/);
    await staff.close();
  });

  it("works with JavaScript off and at 360 px without horizontal scrolling", async () => {
    const noJs = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
    });
    const p = await noJs.newPage();
    // Also in large text (适老化), where a long 索引号 in the search results overflowed.
    for (const display of ["", "large", "large,contrast"]) {
      if (display) await noJs.addCookies([{ name: "gk_display", value: display, url: base }]);
      for (const url of [
        `${base}/`,
        visited.agency,
        visited.catalog,
        visited.item,
        visited.record,
        visited.search,
        `${base}/search?q=${encodeURIComponent("社会保险")}`,
      ]) {
        await p.goto(url as string);
        const overflow = (await p.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        )) as number;
        assert.ok(
          overflow <= 0,
          `${url} (${display || "normal"}): ${overflow}px horizontal overflow at 360 px`,
        );
      }
    }
    await noJs.clearCookies();
    await p.goto(`${base}/`);
    await p.getByLabel("搜索政府信息").fill("养老");
    await p.getByRole("button", { name: "搜索" }).click();
    await p.waitForURL("**/search?q=*");
    assert.match((await p.locator(".result-count").textContent()) ?? "", /找到 \d+ 条/);
    await p.screenshot({ path: path.join(ARTIFACTS, "search-360.png"), fullPage: true });
    await p.goto(visited.record as string);
    await p.screenshot({ path: path.join(ARTIFACTS, "record-360.png"), fullPage: true });
    await noJs.close();
  });

  it("prints record pages without navigation", async () => {
    await page.goto(visited.record as string);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".site-header").isVisible(), false);
    assert.equal(await page.locator(".agency-nav").isVisible(), false);
    assert.equal(await page.locator("table.meta-table").isVisible(), true);
    await page.pdf({ path: path.join(ARTIFACTS, "record.pdf") }).catch(() => undefined);
    await page.emulateMedia({ media: "screen" });
  });

  before(() => {
    assert.ok(
      fs.existsSync(CHROMIUM),
      "Debian chromium is installed (apt-get install -y chromium fonts-noto-cjk)",
    );
  });
});
