import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { seedDemoAgencies } from "../agencies/agency.service.ts";
import { seedDemoCatalogs } from "../catalog/catalog.seed.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";

describe("gongkai catalog …", async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoAgencies(db);
  await seedDemoCatalogs({
    db,
    audit: testAudit(),
    clock: { now: () => new Date("2026-03-16T02:00:00Z"), today: () => "2026-03-16" },
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-catalog-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("usage errors exit 2", async () => {
    for (const argv of [
      ["catalog", "export", "--agency", "zhongwei-hrss"],
      ["catalog", "export", "--agency", "zhongwei-hrss", "--format", "pdf"],
      ["catalog", "export", "--agency", "zhongwei-hrss", "--format", "xlsx"],
      ["catalog", "import", "--agency", "zhongwei-hrss"],
    ]) {
      const io = captureIo();
      assert.equal(await main(argv, io, env), 2, argv.join(" "));
      assert.match(io.stderr.text, /usage/);
    }
  });

  it("export json to stdout, xlsx to a file; import it back (preview, then --commit)", async () => {
    const io = captureIo();
    assert.equal(
      await main(["catalog", "export", "--agency", "zhongwei-hrss", "--format", "json"], io, env),
      0,
    );
    const json = JSON.parse(io.stdout.text);
    assert.equal(json.format, "gongkai-catalog");
    assert.equal(json.items.length, 6);
    const out = path.join(dataDir, "zw.xlsx");
    assert.equal(
      await main(
        ["catalog", "export", "--agency", "zhongwei-hrss", "--format", "xlsx", "--out", out],
        captureIo(),
        env,
      ),
      0,
    );
    assert.ok(fs.statSync(out).size > 1000);
    const preview = captureIo();
    assert.equal(
      await main(["catalog", "import", "--agency", "zhongwei-hrss", "--file", out], preview, env),
      0,
    );
    assert.match(preview.stdout.text, /一级事项6项、二级事项42项/);
    assert.match(preview.stdout.text, /--commit/);
    const commit = captureIo();
    assert.equal(
      await main(
        ["catalog", "import", "--agency", "zhongwei-hrss", "--file", out, "--commit", "--json"],
        commit,
        env,
      ),
      0,
    );
    assert.equal(JSON.parse(commit.stdout.text).committedVersion.status, "draft");
    const show = captureIo();
    assert.equal(await main(["catalog", "show", "--agency", "zhongwei-hrss"], show, env), 0);
    assert.match(show.stdout.text, /第2版 draft/);
    assert.match(show.stdout.text, /概况信息/);
  });

  it("import --dry-run prints every row's parsed fields and saves nothing; --json carries the same", async () => {
    const csv = path.join(dataDir, "dry.csv");
    fs.writeFileSync(
      csv,
      [
        "一级事项,二级事项,公开内容（要素）,公开时限,公开主体,公开渠道和载体,公开对象",
        "1社会保险,1.1机关事业单位社会保险登记,办事指南,制定或获取信息之日起10个工作日内,县人社局,■政府网站 □政务服务中心,全社会",
        ",1.2待遇核定,核定结果,视情况而定,同上,■政务服务中心,特定群体",
      ].join("\n"),
    );
    const countImports = async () =>
      Number(
        (
          await db
            .selectFrom("catalog_imports")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countImports();
    const io = captureIo();
    assert.equal(
      await main(["catalog", "import", "--agency", "zhongwei-hrss", "--file", csv, "--dry-run"], io, env),
      0,
    );
    assert.match(io.stdout.text, /1\.1 机关事业单位社会保险登记/);
    assert.match(
      io.stdout.text,
      /公开时限（原文）：制定或获取信息之日起10个工作日内\n {4}解读：.*10个工作日/,
    );
    assert.match(io.stdout.text, /未能解读：视情况而定（原文保留/);
    assert.match(
      io.stdout.text,
      /公开主体：县人社局[\s\S]*1\.2 待遇核定[\s\S]*公开主体：县人社局\n[\s\S]*同上：取上一行：公开主体/,
    );
    assert.match(io.stdout.text, /公开渠道：政府网站\n/);
    assert.match(io.stdout.text, /公开对象：特定群体/);
    assert.match(io.stdout.text, /与已发布的第1版相比/);
    assert.match(io.stdout.text, /未保存任何内容/);
    assert.equal(await countImports(), before, "a dry run stores no preview");

    const json = captureIo();
    assert.equal(
      await main(
        ["catalog", "import", "--agency", "zhongwei-hrss", "--file", csv, "--dry-run", "--json"],
        json,
        env,
      ),
      0,
    );
    const out = JSON.parse(json.stdout.text);
    assert.equal(out.dryRun, true);
    assert.equal(out.importId, null);
    const row = out.rows.find((r: { fields?: { number: string } }) => r.fields?.number === "1.2");
    assert.deepEqual(row.fields.deadlineUnparsed, ["视情况而定"]);
    assert.equal(row.fields.subject, "县人社局");
    assert.ok(out.changes.diff.removed > 0);
    assert.equal(await countImports(), before);

    const both = captureIo();
    assert.equal(
      await main(
        ["catalog", "import", "--agency", "zhongwei-hrss", "--file", csv, "--dry-run", "--commit"],
        both,
        env,
      ),
      2,
    );
    assert.match(both.stderr.text, /dry-run/);
  });

  it("lint reports the 21/22 working-day items of seed 000 and exits 1 on errors", async () => {
    const io = captureIo();
    assert.equal(await main(["catalog", "lint", "--agency", "qi-hrss", "--json"], io, env), 1);
    const findings = JSON.parse(io.stdout.text).findings as { code: string; itemPath: string[] }[];
    assert.deepEqual(
      findings.filter((f) => f.code === "deadline_exceeds_statutory").map((f) => f.itemPath.at(-1)),
      ["内设机构", "下属单位"],
    );
    const text = captureIo();
    await main(["catalog", "lint", "--agency", "zalantun-hrss"], text, env);
    assert.match(text.stdout.text, /人力资源红和社会保障局/);
  });
});
