import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import pino from "pino";
import { createAgency, createDepartment, createUser } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createDeps } from "../deps.ts";
import { publishOn, useDemoIndexCode } from "../publishing/publishing.fixtures.ts";
import { createRecord } from "../publishing/record-draft.service.ts";
import { fixedClock } from "../shared/clock.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";

describe("gongkai compliance check", async () => {
  const { db, url } = await createTestDatabase();
  const deps = createDeps(testConfig(), db, {
    clock: fixedClock("2025-10-30"),
    logger: pino({ level: "silent" }),
  });
  const agency = await createAgency(db, { slug: "cli-compliance", name: "命令行考核测试局" });
  const dept = await createDepartment(db, agency.id, "就业促进股");
  const items = await createPublishedCatalog(db, agency.id, [
    {
      key: "policy",
      name: "就业政策文件",
      deadline: "信息形成或者变更之日起20个工作日内",
      departmentId: dept.id,
    },
    { key: "blank", name: "职业技能培训定点机构名单", deadline: "根据变动及时更新" },
  ]);
  const boss = await createUser(db, { roles: ["agency_admin", "reviewer", "approver"], agencyId: agency.id });
  await useDemoIndexCode(deps, agency.id, "DEMO-CLI", "{CODE}/{YYYY}-{NNNNN}");
  // Late: formed 2025-03-03 (due 2025-03-31), published 2025-04-30. On time: formed and published in May.
  await publishOn(deps, staffActor(boss), agency.id, "2025-04-30", {
    title: "关于做好2025年高校毕业生就业创业工作的通知",
    formedDate: "2025-03-03",
    itemId: items.policy!.id,
    bodyHtml: "<p>……</p>",
  });
  await publishOn(deps, staffActor(boss), agency.id, "2025-05-12", {
    title: "关于调整失业保险金标准的通知",
    formedDate: "2025-05-06",
    itemId: items.policy!.id,
    bodyHtml:
      '<p><a href="/agencies/cli-compliance/records/00000000-0000-4000-8000-000000000000">旧文件</a></p>',
  });
  await createRecord({ ...deps, clock: fixedClock("2025-09-02") }, staffActor(boss), agency.id, {
    title: "关于开展2025年度养老保险待遇资格认证的通知",
    formedDate: "2025-09-01",
    itemId: items.policy!.id,
  });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-compliance-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("gives the same data as the compliance view, as JSON", async () => {
    const io = captureIo();
    const code = await main(
      ["compliance", "check", "--agency", "cli-compliance", "--as-of", "2025-10-30", "--json"],
      io,
      env,
    );
    assert.equal(code, 0, io.stderr.text);
    const r = JSON.parse(io.stdout.text);
    assert.equal(r.asOf, "2025-10-30");
    assert.deepEqual([r.onTime.onTime, r.onTime.late, r.onTime.rate], [1, 1, 0.5]);
    assert.deepEqual(
      r.overdue.map((e: { title: string; due: string }) => [e.title, e.due]),
      [["关于开展2025年度养老保险待遇资格认证的通知", "2025-09-28"]],
    );
    assert.deepEqual(
      r.blankItems.map((i: { name: string }) => i.name),
      ["职业技能培训定点机构名单"],
    );
    assert.equal(r.brokenLinks.length, 1);
    assert.equal(r.trend.length, 12);
  });

  it("text output, department filter and usage errors", async () => {
    const io = captureIo();
    assert.equal(
      await main(
        [
          "compliance",
          "check",
          "--agency",
          "cli-compliance",
          "--as-of",
          "2025-10-30",
          "--department",
          "就业促进股",
        ],
        io,
        env,
      ),
      0,
      io.stderr.text,
    );
    assert.match(io.stdout.text, /按时公开率：50\.0%/);
    assert.match(io.stdout.text, /就业促进股/);
    const bad = captureIo();
    assert.equal(
      await main(["compliance", "check", "--agency", "cli-compliance", "--as-of", "2025-13-01"], bad, env),
      2,
    );
    const missing = captureIo();
    assert.equal(await main(["compliance", "check"], missing, env), 2);
    const unknown = captureIo();
    assert.equal(await main(["compliance", "check", "--agency", "no-such"], unknown, env), 1);
  });
});
