/**
 * The record page's first hit (issue 14: "one query for the record, no whole catalog tree loads"): every statement
 * the app sends while a page-cache miss of /agencies/:slug/records/:id is answered, counted by a Kysely plugin on
 * the databases the app reads: the shared page store's look-up and ONE statement for the agency, the record and
 * its catalog item's name. A change that adds a round trip (or loads the catalog tree) fails here.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { type KyselyPlugin, PostgresQueryCompiler, type RootOperationNode } from "kysely";
import pino from "pino";
import { createAgency } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { testReplicaOf } from "../../test/test-replica.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import type { Db } from "../db/database.ts";
import { createDeps } from "../deps.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";

/** Records the SQL of every statement run through the databases it is plugged into. */
function statementLog(): { plugin: KyselyPlugin; statements: string[] } {
  const statements: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      statements.push(sqlOf(node));
      return node;
    },
    async transformResult({ result }) {
      return result;
    },
  };
  return { plugin, statements };
}

/** The SQL text of an operation node. */
function sqlOf(node: RootOperationNode): string {
  return new PostgresQueryCompiler().compileQuery(node, { queryId: "log" }).sql.replace(/\s+/g, " ").trim();
}

/** What a statement is, for the assertions (the replica's position checks run once per change, not per render). */
function kind(statement: string): string {
  if (/page_cache_generation/.test(statement) && /FROM \(SELECT 1\)/i.test(statement))
    return "page store look-up";
  if (/insert into "page_cache"/i.test(statement)) return "page store write";
  if (/pg_current_wal_lsn|pg_is_in_recovery/.test(statement)) return "replica position";
  if (/FROM records r/.test(statement) && /FROM agencies a/.test(statement)) return "record page";
  return statement.slice(0, 200);
}

describe("record page first hit: round trips", async () => {
  const { plugin, statements } = statementLog();
  const { db: plain } = await createTestDatabase();
  const db: Db = plain.withPlugin(plugin);
  const replica = await testReplicaOf(plain);
  const deps = createDeps(testConfig(), db, {
    clock: fixedClock("2026-03-16T10:00:00+08:00"),
    logger: pino({ level: "silent" }),
    replicaDb: replica?.withPlugin(plugin),
  });
  const app = await buildApp(deps);
  after(() => app.close());
  const agency = await createAgency(plain, { slug: "round-trips", name: "往返测试局" });
  await createPublishedCatalog(plain, agency.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
    root: null,
  });
  const ids = await Promise.all(
    [1, 2, 3].map((n) =>
      insertTestRecord(plain, agency.id, {
        title: `往返测试文件${n}`,
        body: "正文。".repeat(200),
        itemKey: n === 3 ? "no-such-item" : "k1",
        publishedDate: "2026-03-01",
      }),
    ),
  );
  const draft = await insertTestRecord(plain, agency.id, { title: "草稿", status: "draft" });

  /** The kinds of statement one request runs before its answer, and after it (background writes) once settled. */
  async function firstHit(url: string) {
    await deps.pageCache.settled();
    statements.length = 0;
    const res = await app.inject({ url });
    const answered = statements.map(kind).filter((k) => k !== "replica position");
    await deps.pageCache.settled();
    const all = statements.map(kind).filter((k) => k !== "replica position");
    return { res, answered, background: all.slice(answered.length) };
  }

  it("reads the page store and ONE statement for agency, record and catalog item, then writes the page", async () => {
    for (const id of ids) {
      const { res, answered, background } = await firstHit(`/agencies/round-trips/records/${id}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["x-cache"], "miss");
      // The page store write may start before the answer (background compression): count it wherever it falls.
      const reads = [...answered, ...background].filter((k) => k !== "page store write");
      assert.deepEqual(reads, ["page store look-up", "record page"], `statements of ${id}`);
      assert.ok([...answered, ...background].includes("page store write"));
    }
  });

  it("shows the item's name from that statement, and no item when the key is not in the published catalog", async () => {
    const withItem = await app.inject({ url: `/agencies/round-trips/records/${ids[0]}` });
    assert.match(
      withItem.body,
      /<th scope="row">目录事项<\/th><td><a href="[^"]*\/catalog\/k1">政策文件<\/a>/,
    );
    const without = await app.inject({ url: `/agencies/round-trips/records/${ids[2]}` });
    assert.equal(without.statusCode, 200);
    assert.doesNotMatch(without.body, /目录事项/);
  });

  it("answers an unknown agency, a draft and a malformed id with one statement each, as before", async () => {
    for (const [url, code] of [
      ["/agencies/no-such-agency/records/" + ids[0], "agency_not_found"],
      ["/agencies/no-such-agency/records/not-a-uuid", "agency_not_found"],
      [`/agencies/round-trips/records/${draft}`, "record_not_found"],
      ["/agencies/round-trips/records/not-a-uuid", "record_not_found"],
    ] as const) {
      const { res, answered, background } = await firstHit(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, new RegExp(code), url);
      assert.deepEqual([...answered, ...background], ["page store look-up", "record page"], url);
    }
  });

  it("the open-data API's record reads its agency by id, not the whole list of agencies", async () => {
    const { res, answered } = await firstHit(`/api/v1/records/${ids[0]}`);
    assert.equal(res.statusCode, 200);
    const agencyReads = statements.filter((s) => /from "agencies"/i.test(s));
    assert.ok(agencyReads.length > 0, answered.join("\n"));
    for (const s of agencyReads) assert.match(s, /where/i, s);
  });
});
