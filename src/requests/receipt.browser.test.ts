/**
 * The application receipt at 360 px (GB/T 37668 适老化 layouts): what the applicant typed is shown back, and a long
 * unbroken value (a URL, a run of letters) must wrap instead of widening the page past the screen. The handler's
 * entry form (the same fields, nested fieldsets) fits too.
 *
 * Run: npm run test:browser -- receipt.browser
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium } from "playwright-core";
import { createAgency, createUser, fillGuideContact, TEST_PASSWORD } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { buildApp } from "../app.ts";

describe("the receipt at 360 px", async () => {
  const deps = await createTestDeps({});
  const agency = await createAgency(deps.db, { name: "测试市人力资源和社会保障局" });
  await fillGuideContact(deps.db, agency.id);
  const app: FastifyInstance = await buildApp(deps);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const browser: Browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  after(async () => {
    await browser.close();
    await app.close();
  });

  it("the handler's entry form fits 360 px", async () => {
    const handler = await createUser(deps.db, { roles: ["request_handler"], agencyId: agency.id });
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${base}/admin/login`);
    await page.locator("#f-username").fill(handler.username);
    await page.locator("#f-password").fill(TEST_PASSWORD);
    await page.locator("form[action='/admin/login'] button[type=submit]").click();
    await page.waitForURL(/\/admin/);
    await page.goto(`${base}/admin/agencies/${agency.slug}/requests/new`);
    const { scrollWidth, clientWidth } = (await page.evaluate(
      "({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })",
    )) as { scrollWidth: number; clientWidth: number };
    assert.ok(scrollWidth <= clientWidth, `page ${scrollWidth}px wide on a ${clientWidth}px screen`);
    await context.close();
  });

  it("a long unbroken title wraps (no horizontal scrolling), with and without JavaScript", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${base}/agencies/${agency.slug}/apply`);
      await page.locator("[name=name]").fill("张三");
      await page.locator("[name=idNumber]").fill("11010519491231002X");
      await page.locator("[name=phone]").fill(javaScriptEnabled ? "13812345678" : "13912345678");
      await page.locator("[name=infoTitle]").fill(`https://example.gov.cn/${"a".repeat(150)}`);
      await page.locator("button[name=step][value=submit]").click();
      await page.locator(".query-code").waitFor();
      const { scrollWidth, clientWidth } = (await page.evaluate(
        "({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })",
      )) as { scrollWidth: number; clientWidth: number };
      assert.ok(scrollWidth <= clientWidth, `page ${scrollWidth}px wide on a ${clientWidth}px screen`);
      await context.close();
    }
  });
});
