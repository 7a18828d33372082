// Open export on the seeded demo platform: every dataset as JSON and CSV, documented column by column in the README,
// formula-neutral CSV, no personal data unless asked, and an audit entry when it is.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { systemActor } from "../accounts/policy.ts";
import { buildApp } from "../app.ts";
import { captureIo } from "../cli/cli.fixtures.ts";
import { main } from "../cli/main.ts";
import { isAppError } from "../errors.ts";
import { seedDemo } from "../seed.ts";
import { fixedClock } from "../shared/clock.ts";
import { writeOpenExport } from "./export.ts";
import { DATASETS } from "./export-datasets.ts";
import { dailyBackupJob } from "./ops.jobs.ts";
import { openZip } from "./zip-reader.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-export-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string): Promise<Map<string, string>> {
  const zip = await openZip(file);
  const out = new Map<string, string>();
  for (const name of zip.names())
    if (!name.startsWith("attachments/")) out.set(name, await zip.readText(name));
  zip.close();
  return out;
}

describe("open export", async () => {
  const deps = await createTestDeps({
    clock: fixedClock("2026-03-16T10:00:00+08:00"),
    config: { dataDir: dir },
  });
  await seedDemo(deps);
  const slug = "qi-hrss";
  const admin = systemActor("测试");

  it("writes every dataset as JSON and CSV with a README describing every file and column", async () => {
    const file = path.join(dir, "agency.zip");
    const summary = await writeOpenExport(deps, file, { scope: { agencySlug: slug }, actor: admin });
    assert.equal(summary.agencies, 1);
    const files = await readAll(file);
    const readme = files.get("README.md") ?? "";
    for (const d of DATASETS) {
      const json = JSON.parse(files.get(`${d.file}.json`) ?? "null") as Record<string, unknown>[];
      const csv = parse((files.get(`${d.file}.csv`) ?? "").replace(/^\uFEFF/, ""), {
        bom: true,
      }) as string[][];
      assert.deepEqual(
        csv[0],
        d.columns.map((c) => c.name),
        `${d.file}.csv header`,
      );
      assert.equal(csv.length - 1, json.length, `${d.file}: CSV and JSON have the same rows`);
      assert.match(readme, new RegExp(`\`${d.file}\\.csv\``));
      for (const c of d.columns)
        assert.ok(readme.includes(`| \`${c.name}\` |`), `${d.file}.${c.name} documented`);
    }
    for (const d of ["catalog-items", "records", "applications", "annual-reports"])
      assert.ok((summary.files.find((f) => f.name === d)?.rows ?? 0) > 0, `${d} has rows`);
    // No personal data unless asked: no applicant_* columns, no demo phone numbers.
    assert.doesNotMatch(files.get("applications.csv") ?? "", /applicant_name/);
    assert.doesNotMatch([...files.values()].join("\n"), /138\d{8}/);
  });

  it("includes applicants' personal data only when asked, and records that in the audit log", async () => {
    const file = path.join(dir, "personal.zip");
    await writeOpenExport(deps, file, {
      scope: { agencySlug: slug },
      withPersonalData: true,
      actor: admin,
    });
    const files = await readAll(file);
    const apps = JSON.parse(files.get("applications.json") ?? "[]") as Record<string, string>[];
    assert.ok(apps.length > 0);
    assert.ok(apps.every((a) => a.applicant_name && a.applicant_id_number));
    const audit = await deps.db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("action", "=", "personal_data.export")
      .execute();
    assert.equal(audit.length, 1);
    assert.match(audit[0]?.summary ?? "", /qi-hrss/);
  });

  it("neutralises spreadsheet formulas in CSV cells and exports the whole platform", async () => {
    await createAgency(deps.db, { slug: "formula", name: '=HYPERLINK("http://x")' });
    await createAgency(deps.db, { slug: "formula-plus", name: "+cmd|' /C calc'!A0" });
    await createAgency(deps.db, { slug: "formula-at", name: "@SUM(A1:A9)" });
    await createAgency(deps.db, { slug: "formula-minus", name: "-2+3" });
    const file = path.join(dir, "platform.zip");
    const summary = await writeOpenExport(deps, file, { scope: { platform: true }, actor: admin });
    assert.ok(summary.agencies >= 5);
    const files = await readAll(file);
    assert.match(files.get("agencies.csv") ?? "", /"'=HYPERLINK\(""http:\/\/x""\)"/);
    assert.match(files.get("agencies.json") ?? "", /"=HYPERLINK/, "JSON keeps the value as it is");
    // Every formula lead character (src/shared/csv.ts), in the cells as a spreadsheet reads them.
    const cells = (parse((files.get("agencies.csv") ?? "").replace(/^\uFEFF/, "")) as string[][]).flat();
    for (const formula of ["+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3"]) {
      assert.ok(cells.includes(`'${formula}`), `${formula} neutralised`);
      assert.ok(!cells.includes(formula), `${formula} never raw`);
    }
  });

  it("refuses an unknown agency and a missing or double scope", async () => {
    await assert.rejects(
      writeOpenExport(deps, path.join(dir, "x.zip"), { scope: { agencySlug: "nope" }, actor: admin }),
      (e) => isAppError(e) && e.code === "agency_not_found",
    );
    const io = captureIo();
    assert.equal(await main(["export", "--out", path.join(dir, "y.zip")], io, {}), 1);
    assert.match(io.stderr.text, /export_scope_invalid/);
  });

  it("the console download: an agency administrator gets their agency, not another one", async () => {
    const app = await buildApp(deps);
    after(() => app.close());
    const agency = await deps.db
      .selectFrom("agencies")
      .select(["id", "slug"])
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    const admin = await createUser(deps.db, { roles: ["agency_admin"], agencyId: agency.id });
    const s = await signIn(app, admin);
    const res = await app.inject({ url: `/admin/agencies/${slug}/export.zip`, headers: s.headers });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "application/zip");
    assert.equal(res.rawPayload.subarray(0, 2).toString(), "PK");
    const other = await app.inject({ url: "/admin/agencies/liaocheng-hrss/export.zip", headers: s.headers });
    assert.ok([403, 404].includes(other.statusCode), `another agency: ${other.statusCode}`);
    const platform = await app.inject({ url: "/admin/platform/export.zip", headers: s.headers });
    assert.equal(platform.statusCode, 403);
  });

  it("the daily backup job writes an archive into the data directory's backups/", async () => {
    const summary = await dailyBackupJob.run({
      deps,
      jobId: "test",
      attempt: 0,
      signal: new AbortController().signal,
      data: {},
    });
    assert.ok((summary.totals.rows ?? 0) > 0);
    assert.deepEqual(fs.readdirSync(path.join(dir, "backups")), ["gongkai-backup-20260316T020000Z.zip"]);
  });
});
