/**
 * The applicant's whole journey in real Chromium (Debian's /usr/bin/chromium): the public form → the handler asks
 * for a 补正 → the applicant opens the secure page with the 查询码 and phone digits and submits the correction
 * online with an attachment → consultation → extension → reply with a disclosed file → the applicant opens the
 * secure page again and downloads the information (and the reply notice). The handler's steps go through the same
 * services as the console; everything the applicant does is done in the browser.
 *
 * Run: npm run test:browser -- applicant.browser
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium } from "playwright-core";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { buildApp } from "../app.ts";
import {
  approveExtension,
  confirmReceipt,
  endConsultation,
  proposeExtension,
  requestCorrection,
  startConsultation,
} from "./handling.service.ts";
import { replyToInfoRequest } from "./reply.service.ts";
import { attachDisclosedFiles } from "./request-files.service.ts";

const CHROMIUM = "/usr/bin/chromium";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");

describe("the applicant's journey in Chromium", async () => {
  // A clock the test moves from day to day (the statute's periods need distinct dates).
  let now = new Date("2025-09-26T10:00:00+08:00");
  const setDay = (day: string) => {
    now = new Date(`${day}T10:00:00+08:00`);
  };
  const deps = await createTestDeps({
    clock: {
      now: () => new Date(now.getTime()),
      today: () => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
    },
  });
  const db = deps.db;
  const created = await createAgency(db, { name: "测试市人力资源和社会保障局" });
  await fillGuideContact(db, created.id);
  const agency = await getAgencyBySlug(db, created.slug);
  const handler = await createUser(db, {
    roles: ["request_handler"],
    agencyId: agency.id,
    displayName: "王经办",
  });
  const head = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id, displayName: "赵主任" });
  const actor = staffActor(handler);
  const app: FastifyInstance = await buildApp(deps);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  const context = await browser.newContext({ locale: "zh-CN", acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  after(async () => {
    await browser.close();
    await app.close();
  });
  const row = async () =>
    db.selectFrom("info_requests").selectAll().where("agency_id", "=", agency.id).executeTakeFirstOrThrow();
  let queryCode = "";

  async function openSecurePage(): Promise<void> {
    await page.goto(`${base}/apply/status`);
    await page.locator("form[action='/apply/status'] [name=code]").fill(queryCode);
    await page.locator("[name=last4]").fill("5678");
    await page.locator("form[action='/apply/status'] button[type=submit]").click();
    await page.waitForURL(/\/apply\/applications\/[0-9a-f-]{36}/);
  }

  it("applies on the public form and gets a 查询码", async () => {
    await page.goto(`${base}/agencies/${agency.slug}/apply`);
    await page.locator("[name=name]").fill("张三");
    await page.locator("[name=idNumber]").fill("11010519491231002X");
    await page.locator("[name=phone]").fill("13812345678");
    await page.locator("[name=email]").fill("zhang@example.com");
    await page.locator("[name=infoTitle]").fill("2024年度就业补助资金分配结果");
    await page.locator("button[name=step][value=submit]").click();
    const code = await page.locator(".query-code strong").textContent();
    assert.match(code ?? "", /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    queryCode = code as string;
  });

  it("submits the 补正 online with an attachment; the clock restarts", async () => {
    const r = await row();
    await confirmReceipt(deps, agency, r.id, r.version, actor, { date: "2025-09-26" });
    setDay("2025-09-29");
    await requestCorrection(deps, agency, r.id, (await row()).version, actor, {
      noticeOn: "2025-09-29",
      items: "请写明所需信息涉及的县（区）。",
    });
    setDay("2025-10-10");
    await openSecurePage();
    assert.match(await page.locator("main").innerText(), /请写明所需信息涉及的县（区）。/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gk-applicant-")), "补正说明.pdf");
    fs.writeFileSync(file, PDF);
    await page.locator("[name=text]").fill("所需信息涉及扎兰屯市全市各乡镇。");
    await page.locator("input[type=file][name=files]").setInputFiles(file);
    await page.getByRole("button", { name: "提交补正" }).click();
    await page.waitForURL(/done=correction/);
    const text = await page.locator("main").innerText();
    assert.match(text, /补正已提交/);
    assert.match(text, /补正说明\.pdf/);
    const after = await row();
    assert.equal(after.status, "processing");
    const corr = await db.selectFrom("info_request_corrections").selectAll().executeTakeFirstOrThrow();
    assert.equal(corr.received_on, "2025-10-10");
    // Restarted on 10/10 exactly as a counter 补正: 20 working days → 2025-11-06.
    assert.equal(after.next_due_on, "2025-11-06");
  });

  it("consultation, extension and the reply with a disclosed file", async () => {
    setDay("2025-10-13");
    let r = await row();
    await startConsultation(deps, agency, r.id, r.version, actor, {
      kind: "third_party",
      party: "某某科技有限公司",
      matters: "分配结果中的企业名单",
      sentOn: "2025-10-13",
    });
    setDay("2025-10-20");
    r = await row();
    await endConsultation(deps, agency, r.id, r.version, actor, { endedOn: "2025-10-20", result: "consent" });
    r = await row();
    await proposeExtension(deps, agency, r.id, r.version, actor, {
      days: 10,
      reason: "需调取多个年度的档案",
    });
    r = await row();
    await approveExtension(deps, agency, r.id, r.version, staffActor(head), {
      approvedOn: "2025-10-20",
    });
    await attachDisclosedFiles(deps, agency, r.id, actor, [
      { fileName: "2024年就业补助资金分配表.pdf", data: PDF },
    ]);
    setDay("2025-10-22");
    r = await row();
    await replyToInfoRequest(deps, agency, r.id, r.version, actor, {
      replyType: "art36_2",
      outcome: "granted",
      repliedOn: "2025-10-22",
    });
    assert.equal((await row()).status, "concluded");
  });

  it("the applicant opens the secure page and downloads the information and the reply notice", async () => {
    await openSecurePage();
    const text = await page.locator("main").innerText();
    assert.match(text, /本机关已经答复/);
    assert.match(text, /征求第三方意见|征求/);
    assert.match(text, /答复期限延长10个工作日/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "2024年就业补助资金分配表.pdf" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "2024年就业补助资金分配表.pdf");
    assert.deepEqual(fs.readFileSync(await download.path()), PDF);
    await page.getByRole("link", { name: "查看和打印（可另存为PDF）" }).last().click();
    assert.match(await page.locator("h1").innerText(), /政府信息公开申请答复告知书/);
    const pdf = await page.pdf({ format: "A4" });
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    const log = await db.selectFrom("info_request_access_log").select("kind").execute();
    const kinds = new Set(log.map((l) => l.kind));
    for (const k of ["lookup", "view", "correction", "file", "notice"]) assert.ok(kinds.has(k as never), k);
    assert.deepEqual(errors, []);
  });
});
