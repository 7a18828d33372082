/**
 * executePrepared (db/connection.ts): on a pool made by createKysely the statement is a named prepared statement of
 * the connection (kept and reused), with the same rows as an ordinary execution; in a transaction or on a Kysely with
 * plugins it runs as usual.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { type KyselyPlugin, sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import { createKysely, executePrepared } from "./connection.ts";

describe("executePrepared", async () => {
  const { url } = await createTestDatabase();
  // One connection: what it has prepared is visible to the next statement.
  const db = createKysely(url, 1);
  after(() => db.destroy());
  const query = (n: number) =>
    sql<{ n: number; label: string }>`SELECT ${n}::int AS n, 'x' || ${n}::text AS label`;
  const prepared = async () =>
    (
      await sql<{ name: string; statement: string }>`
        SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'gk\\_%'`.execute(db)
    ).rows;

  it("prepares the statement once per connection and returns what execute() returns", async () => {
    assert.deepEqual(await executePrepared(db, query(1)), (await query(1).execute(db)).rows);
    assert.deepEqual(await executePrepared(db, query(2)), [{ n: 2, label: "x2" }]);
    const statements = await prepared();
    assert.equal(statements.length, 1, "one statement for one SQL text, whatever the parameters");
    assert.match(statements[0]?.statement ?? "", /AS label/);
    await executePrepared(db, sql`SELECT 3 AS other`);
    assert.equal((await prepared()).length, 2, "another text is another statement");
  });

  it("runs as usual in a transaction and on a Kysely with plugins", async () => {
    const before = (await prepared()).length;
    const rows = await db.transaction().execute((trx) => executePrepared(trx, query(4)));
    assert.deepEqual(rows, [{ n: 4, label: "x4" }]);
    const seen: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery({ node }) {
        seen.push(node.kind);
        return node;
      },
      async transformResult({ result }) {
        return result;
      },
    };
    assert.deepEqual(await executePrepared(db.withPlugin(plugin), sql`SELECT 5 AS n`), [{ n: 5 }]);
    assert.equal(seen.length, 1, "the plugin saw the statement");
    assert.equal((await prepared()).length, before);
  });
});
