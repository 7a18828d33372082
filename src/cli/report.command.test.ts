import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { generateReport, updateCells } from "../reports/report-edit.service.ts";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

describe("gongkai report annual", async () => {
  const { db, url } = await createTestDatabase();
  const agency = await getAgencyBySlug(
    db,
    (await createAgency(db, { slug: "cli-report", name: "命令行测试局" })).slug,
  );
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    GONGKAI_DATA_DIR: process.env.GONGKAI_DATA_DIR,
    LOG_LEVEL: process.env.LOG_LEVEL,
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-report-"));
  process.env.DATABASE_URL = url;
  process.env.GONGKAI_DATA_DIR = dataDir;
  process.env.LOG_LEVEL = "silent";
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
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
      assert.equal(await runCli(argv, io), 2, argv.join(" "));
      assert.match(io.stderr, /usage/);
    }
  });

  it("previews an ungenerated report; exports the stored one keyed by the official labels", async () => {
    const preview = captureIo();
    assert.equal(
      await runCli(
        ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", "json"],
        preview,
      ),
      0,
    );
    assert.match(preview.stderr, /尚未生成/);
    assert.equal(JSON.parse(preview.stdout)["标题"], "命令行测试局2025年政府信息公开工作年度报告");

    const view = await generateReport(db, {
      agency,
      year: 2025,
      actor: { id: null },
      today: "2026-03-16",
      now: new Date(),
    });
    await updateCells(db, {
      agency,
      year: 2025,
      version: view.version,
      section: "proactive",
      values: { "proactive.item5.licensing.decisions": "42" },
      actor: { id: null },
      today: "2026-03-16",
    });
    const io = captureIo();
    assert.equal(
      await runCli(["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", "json"], io),
      0,
    );
    const json = JSON.parse(io.stdout);
    assert.equal(json["二、主动公开政府信息情况"]["第二十条第（五）项"]["行政许可"]["本年处理决定数量"], 42);

    for (const format of ["docx", "xlsx", "html", "chart"]) {
      const out = path.join(dataDir, `r.${format}`);
      const fio = captureIo();
      assert.equal(
        await runCli(
          ["report", "annual", "--agency", "cli-report", "--year", "2025", "--format", format, "--out", out],
          fio,
        ),
        0,
        fio.stderr,
      );
      const bytes = fs.readFileSync(out);
      if (format === "docx" || format === "xlsx") assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
      else assert.match(bytes.toString("utf8"), /^<!doctype html>/);
    }

    const missing = captureIo();
    assert.equal(
      await runCli(["report", "annual", "--agency", "nope", "--year", "2025", "--format", "json"], missing),
      1,
    );
    assert.match(missing.stderr, /agency_not_found/);
  });
});
