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

describe("gongkai catalog compare", async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoAgencies(db);
  await seedDemoCatalogs({
    db,
    audit: testAudit(),
    clock: { now: () => new Date("2026-03-16T02:00:00Z"), today: () => "2026-03-16" },
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-compare-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("two agencies side by side (--with): matches, missing and added as JSON", async () => {
    const io = captureIo();
    assert.equal(
      await main(["catalog", "compare", "--agency", "qi-hrss", "--with", "zhongwei-hrss", "--json"], io, env),
      0,
      io.stderr.text,
    );
    const out = JSON.parse(io.stdout.text);
    assert.equal(out.agency, "旗人力资源和社会保障局");
    assert.ok(out.summary.matched >= 10);
    assert.equal(out.summary.matched + out.summary.missing, out.summary.referenceItems);
    assert.equal(out.summary.matched + out.summary.added, out.summary.agencyItems);
    assert.ok(out.matches.some((m: { kind: string }) => m.kind === "probable"));
  });

  it("against a standard catalog file: an exported catalog compared with itself matches every item exactly", async () => {
    const file = path.join(dataDir, "standard.json");
    const exportIo = captureIo();
    assert.equal(
      await main(
        ["catalog", "export", "--agency", "zhongwei-hrss", "--format", "json", "--out", file],
        exportIo,
        env,
      ),
      0,
      exportIo.stderr.text,
    );
    const io = captureIo();
    assert.equal(
      await main(["catalog", "compare", "--agency", "zhongwei-hrss", "--standard", file, "--json"], io, env),
      0,
      io.stderr.text,
    );
    const s = JSON.parse(io.stdout.text).summary;
    assert.deepEqual([s.missing, s.added, s.probable, s.weakerDeadlines], [0, 0, 0, 0]);
    assert.equal(s.exact, s.referenceItems);
  });

  it("a loaded standard catalog: load, list, compare by its slug", async () => {
    const file = path.join(dataDir, "std.json");
    fs.copyFileSync(
      path.join(import.meta.dirname, "..", "catalog", "standards", "social-insurance-excerpt.json"),
      file,
    );
    const load = captureIo();
    assert.equal(
      await main(
        ["catalog", "standard", "load", "--slug", "shbx", "--file", file, "--field", "社会保险"],
        load,
        env,
      ),
      0,
      load.stderr.text,
    );
    assert.match(load.stdout.text, /已载入标准目录/);
    const again = captureIo();
    assert.equal(
      await main(["catalog", "standard", "load", "--slug", "shbx", "--file", file], again, env),
      1,
    );
    assert.match(again.stderr.text, /duplicate_slug/);
    const list = captureIo();
    assert.equal(await main(["catalog", "standard", "list", "--json"], list, env), 0);
    assert.equal(JSON.parse(list.stdout.text)[0].slug, "shbx");
    const io = captureIo();
    assert.equal(
      await main(
        ["catalog", "compare", "--agency", "zhongwei-hrss", "--standard", "shbx", "--json"],
        io,
        env,
      ),
      0,
      io.stderr.text,
    );
    const out = JSON.parse(io.stdout.text);
    const match = out.matches.find(
      (m: { reference: { path: string[] } }) => m.reference.path.join("/") === "社会保险登记",
    );
    assert.ok(match, "中卫's 社会保险登记 is matched with the standard's");
    const missing = captureIo();
    assert.equal(
      await main(["catalog", "compare", "--agency", "zhongwei-hrss", "--standard", "nope"], missing, env),
      1,
    );
    assert.match(missing.stderr.text, /standard_catalog_not_found/);
  });

  it("usage errors exit 2", async () => {
    for (const argv of [
      ["catalog", "compare", "--agency", "qi-hrss"],
      ["catalog", "compare", "--agency", "qi-hrss", "--with", "a", "--standard", "b"],
      ["catalog", "compare", "--agency", "qi-hrss", "--standard", path.join(dataDir, "none.xlsx")],
    ]) {
      const io = captureIo();
      assert.equal(await main(argv, io, env), 2, argv.join(" "));
    }
  });
});
