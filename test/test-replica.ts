/**
 * Test runs against a primary + hot standby pair: TEST_DATABASE_URL is the primary's server and
 * TEST_DATABASE_READ_URL its streaming replica (.ci/run starts both). With the latter set, every app built by
 * createTestApp/createTestDeps reads its public pages from the standby's copy of its test database (deps.readPool),
 * so the portal and search tests run against the pair.
 */
import { after } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { createKysely } from "../src/db/connection.ts";
import type { Db } from "../src/db/database.ts";

/** Why the replica tests are skipped, or undefined when the pair is configured. */
export function replicaSkipReason(): string | undefined {
  if (process.env.TEST_DATABASE_READ_URL && process.env.TEST_DATABASE_URL) return undefined;
  if (process.env.TEST_DATABASE_READ_URL)
    throw new Error("TEST_DATABASE_READ_URL is set without TEST_DATABASE_URL (the primary of that standby)");
  // .ci/replica-tests sets it: there a skip would hide that the pair was never tested.
  if (process.env.GONGKAI_TEST_REQUIRE_REPLICA)
    throw new Error(
      "GONGKAI_TEST_REQUIRE_REPLICA is set but TEST_DATABASE_URL / TEST_DATABASE_READ_URL are not",
    );
  return "needs a primary + hot standby pair: set TEST_DATABASE_URL (primary) and TEST_DATABASE_READ_URL (standby), as .ci/run does";
}

/** Waits until the standby has replayed the primary's WAL up to `lsn` (fails after `timeoutMs`). */
export async function waitForReplay(lsn: string, timeoutMs = 60_000): Promise<void> {
  const url = process.env.TEST_DATABASE_READ_URL;
  if (!url) throw new Error("TEST_DATABASE_READ_URL is not set");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ standby: boolean; done: boolean | null }>(
        "SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn() >= $1::pg_lsn AS done",
        [lsn],
      );
      if (!rows[0]?.standby)
        throw new Error("TEST_DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false)");
      if (rows[0].done) return;
      if (Date.now() > deadline) throw new Error(`the standby did not replay ${lsn} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/**
 * With TEST_DATABASE_READ_URL: a pool on the standby's copy of the test database `db` (once the standby has replayed
 * its creation), closed when the test file ends. Without it: undefined (reads use the primary).
 */
export async function testReplicaOf(db: Db): Promise<Db | undefined> {
  const readUrl = process.env.TEST_DATABASE_READ_URL;
  if (!readUrl) return undefined;
  const { rows } = await sql<{ name: string; lsn: string }>`
    SELECT current_database() AS name, pg_current_wal_lsn()::text AS lsn`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("no current database");
  await waitForReplay(row.lsn);
  const url = new URL(readUrl);
  url.pathname = `/${row.name}`;
  const replica = createKysely(url.toString(), 5, {
    applicationName: "gongkai-test-read",
    connectionTimeoutMillis: 3000,
  });
  after(() => replica.destroy());
  return replica;
}
