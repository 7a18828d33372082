import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createAgency } from "../../test/factories.ts";
import { testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { systemActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { generateReport, updateCells } from "../reports/report-edit.service.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";

describe("gongkai report annual", async () => {
  const { db, url } = await createTestDatabase();
  const agency = await getAgencyBySlug(
    db,
    (await createAgency(db, { slug: "cli-report", name: "命令行测试局" })).slug,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-report-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("usage errors exit 2", async () => {
    for (const argv of [
      ["report", "annual", "--agency", "cli-report", "--year", "2025"],
      ["report", "annual", "--agency", "cli-report", "--year", "25", "--format", "json"],
      ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", "pdf"],
      ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", "docx"],
    ]) {
      const io = captureIo();
      assert.equal(await main(argv, io, env), 2, argv.join(" "));
      assert.match(io.stderr.text, /usage/);
    }
  });

  it("previews an ungenerated report; exports the stored one keyed by the official labels", async () => {
    const preview = captureIo();
    assert.equal(
      await main(
        ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", "json"],
        preview,
        env,
      ),
      0,
    );
    assert.match(preview.stderr.text, /尚未生成/);
    assert.equal(JSON.parse(preview.stdout.text)["标题"], "命令行测试局2025年政府信息公开工作年度报告");

    const view = await generateReport(
      { db, audit: testAudit() },
      {
        agency,
        year: 2025,
        actor: systemActor("测试"),
        today: "2026-03-16",
        now: new Date(),
      },
    );
    await updateCells(
      { db, audit: testAudit() },
      {
        agency,
        year: 2025,
        version: view.version,
        section: "proactive",
        values: { "proactive.item5.licensing.decisions": "42" },
        actor: systemActor("测试"),
        today: "2026-03-16",
      },
    );
    const io = captureIo();
    assert.equal(
      await main(
        ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", "json"],
        io,
        env,
      ),
      0,
    );
    const json = JSON.parse(io.stdout.text);
    assert.equal(json["二、主动公开政府信息情况"]["第二十条第（五）项"]["行政许可"]["本年处理决定数量"], 42);

    for (const format of ["docx", "xlsx", "html", "chart"]) {
      const out = path.join(dataDir, `r.${format}`);
      const fio = captureIo();
      assert.equal(
        await main(
          ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", format, "--out", out],
          fio,
          env,
        ),
        0,
        fio.stderr.text,
      );
      const bytes = fs.readFileSync(out);
      if (format === "docx" || format === "xlsx") assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
      else assert.match(bytes.toString("utf8"), /^<!doctype html>/);
    }

    const missing = captureIo();
    assert.equal(
      await main(
        ["report", "annual", "--agency", "nope", "--year", "2025", "--format", "json"],
        missing,
        env,
      ),
      1,
    );
    assert.match(missing.stderr.text, /agency_not_found/);
  });
});
