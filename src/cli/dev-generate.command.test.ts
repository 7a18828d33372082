import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import { generateRecords } from "../ops/dev-corpus.ts";
import { bodyText } from "../publishing/record-html.ts";
import { seededRandom } from "../shared/random.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { CliError } from "./command.ts";
import { parseGenerateArgs } from "./dev-generate.command.ts";
import { main } from "./main.ts";

describe("gongkai dev generate: arguments", () => {
  it("accepts whole numbers with separators and fills defaults", () => {
    assert.deepEqual(parseGenerateArgs({ agencies: "3", records: "1_000_000" }), {
      agencies: 3,
      records: 1_000_000,
      applications: 0,
      seed: 20261204,
    });
    assert.equal(parseGenerateArgs({ agencies: "3", records: "10", lanes: "3" }).lanes, 3);
  });
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ records: "10" }, /--agencies is required/],
    [{ agencies: "2" }, /--records is required/],
    [{ agencies: "0", records: "1" }, /--agencies must be between 1 and 10,000/],
    [{ agencies: "2", records: "-5" }, /--records must be a whole number/],
    [{ agencies: "2", records: "1e6" }, /--records must be a whole number/],
    [{ agencies: "2", records: "30000000" }, /--records must be between 0 and 20,000,000/],
    [{ agencies: "2", records: "5", applications: "x" }, /--applications must be a whole number/],
    [{ agencies: "2", records: "5", lanes: "9" }, /--lanes must be between 1 and 8/],
  ];
  for (const [values, message] of bad)
    it(`refuses ${JSON.stringify(values)} with a clear message (exit 2)`, () => {
      assert.throws(
        () => parseGenerateArgs(values),
        (e) => e instanceof CliError && e.exitCode === 2 && message.test(e.message),
      );
    });
});

describe("dev corpus", () => {
  it("is deterministic, in ascending date order, and its body text is what record-html derives", () => {
    const agencies = [
      { id: "a", name: "青山市民政局", docPrefix: "青民", indexPrefix: "X-1", subjects: ["低保"], items: [] },
    ];
    const a = [...generateRecords({ records: 300, agencies, batchSize: 100 })].flat();
    const b = [...generateRecords({ records: 300, agencies, batchSize: 100 })].flat();
    assert.deepEqual(a, b);
    assert.equal(a.length, 300);
    const dates = a.map((r) => r.publishedDate);
    assert.deepEqual(dates, [...dates].sort());
    for (const r of a.slice(0, 20)) assert.equal(r.bodyText, bodyText(r.bodyHtml));
    assert.equal(new Set(a.map((r) => r.indexNo)).size, 300, "索引号 unique");
    assert.ok(seededRandom(1)() !== seededRandom(2)());
  });
});

describe("gongkai dev generate into a database", async () => {
  const { db, url } = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-generate-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes agencies with catalogs, searchable published records and concluded applications", async () => {
    const io = captureIo();
    const code = await main(
      ["dev", "generate", "--agencies", "3", "--records", "400", "--applications", "30", "--json"],
      io,
      env,
    );
    assert.equal(code, 0, io.stderr.text);
    const report = JSON.parse(io.stdout.text) as {
      agencies: string[];
      records: number;
      applications: number;
    };
    assert.equal(report.agencies.length, 3);
    assert.equal(report.records, 400);
    assert.equal(report.applications, 30);
    const { rows } = await sql<{ n: number; grams: number; items: number; outcomes: number }>`
      SELECT (SELECT count(*)::int FROM records WHERE status = 'published') AS n,
             (SELECT count(*)::int FROM records WHERE search_grams IS NOT NULL AND search_head IS NOT NULL) AS grams,
             (SELECT count(*)::int FROM records WHERE item_id IS NOT NULL) AS items,
             (SELECT count(DISTINCT outcome)::int FROM info_requests WHERE status = 'concluded') AS outcomes`.execute(
      db,
    );
    assert.deepEqual(rows[0], { n: 400, grams: 400, items: 400, outcomes: rows[0]?.outcomes });
    assert.ok((rows[0]?.outcomes ?? 0) >= 3, "several outcomes");
    // The trigger kept the columns computed in TypeScript: recomputing them in SQL changes nothing (the codes are
    // stored in the trigger's ascending order too).
    const { rows: same } = await sql<{ differ: number }>`
      SELECT count(*)::int AS differ FROM records
      WHERE search_grams <> gk_search_codes(search_text, published_date, agency_id, id)
         OR search_head <> split_part(search_text, chr(1), 1) || chr(1) || split_part(search_text, chr(1), 2) || chr(1)
            || split_part(search_text, chr(1), 3) || chr(1) || split_part(search_text, chr(1), 4) || chr(1)
            || split_part(search_text, chr(1), 5)`.execute(db);
    assert.equal(same[0]?.differ, 0);
  });

  it("refuses bad arguments before touching the database", async () => {
    const io = captureIo();
    const code = await main(["dev", "generate", "--agencies", "2"], io, env);
    assert.equal(code, 2);
    assert.match(io.stderr.text, /--records is required/);
  });
});
