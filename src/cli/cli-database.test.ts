/**
 * The command line against a busy or unreachable database: a command whose table another session has locked gives
 * up after GONGKAI_CLI_LOCK_TIMEOUT_SECONDS with "the database is busy" (it hung until the lock went away), and a
 * DATABASE_URL that cannot be reached, refuses the sign-in or names a missing database is one line saying which.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase } from "../../test/test-db.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { databaseErrorMessage, main } from "./main.ts";

describe("gongkai commands on a busy or unreachable database", async () => {
  const { url } = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-db-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("a table locked by another session: the command gives up after the lock timeout, exit 1, no hang", async () => {
    // Migrate first (the command's own start-up), so that only the lock is in the way.
    assert.equal(await main(["user", "list"], captureIo(), cliEnv(url, dataDir)), 0);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("LOCK TABLE staff_users IN ACCESS EXCLUSIVE MODE");
    try {
      const io = captureIo();
      const started = performance.now();
      const run = main(["user", "list"], io, cliEnv(url, dataDir, { GONGKAI_CLI_LOCK_TIMEOUT_SECONDS: "1" }));
      const outcome = await Promise.race([
        run,
        new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 20_000).unref()),
      ]);
      assert.equal(
        outcome,
        1,
        `the command ${outcome === "hung" ? "still waits after 20 s" : `exited ${outcome}`}`,
      );
      assert.ok(performance.now() - started < 15_000);
      assert.match(
        io.stderr.text,
        /^gongkai: 数据库正忙：.*GONGKAI_CLI_LOCK_TIMEOUT_SECONDS.*the database is busy/,
      );
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
  });

  it("an unreachable server and a missing database are named, exit 1", async () => {
    const refused = captureIo();
    assert.equal(
      await main(["user", "list"], refused, cliEnv("postgres://gongkai:x@127.0.0.1:1/gongkai", dataDir)),
      1,
    );
    assert.match(
      refused.stderr.text,
      /^gongkai: 无法连接数据库 127\.0\.0\.1:1（连接被拒绝 \/ connection refused）：请检查 DATABASE_URL/,
    );
    const missing = new URL(url);
    missing.pathname = "/gongkai_no_such_database";
    const io = captureIo();
    assert.equal(await main(["user", "list"], io, cliEnv(missing.toString(), dataDir)), 1);
    assert.match(io.stderr.text, /gongkai_no_such_database.*请先创建该数据库（createdb）/);
  });
});

describe("databaseErrorMessage", () => {
  const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
  const cases: [string, Error, RegExp | undefined][] = [
    ["a lock timeout", pgError("55P03", "canceling statement due to lock timeout"), /^数据库正忙/],
    [
      "connection refused",
      Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), {
        code: "ECONNREFUSED",
        address: "10.0.0.5",
        port: 5432,
      }),
      /^无法连接数据库 10\.0\.0\.5:5432（连接被拒绝/,
    ],
    [
      "an unknown host",
      pgError("ENOTFOUND", "getaddrinfo ENOTFOUND db.internal"),
      /^无法连接数据库（ENOTFOUND）/,
    ],
    [
      "a wrong password",
      pgError("28P01", 'password authentication failed for user "gongkai"'),
      /^数据库拒绝了登录/,
    ],
    ["no pg_hba entry", pgError("28000", "no pg_hba.conf entry"), /^数据库拒绝了登录/],
    [
      "a missing database",
      pgError("3D000", 'database "gk" does not exist'),
      /^database "gk" does not exist：请先创建/,
    ],
    ["no connection slot", pgError("53300", "sorry, too many clients already"), /^数据库连接数已满/],
    ["any other SQL error", pgError("23505"), undefined],
    ["a plain error", new Error("boom"), undefined],
  ];
  for (const [name, error, expected] of cases)
    it(name, () => {
      const message = databaseErrorMessage(error);
      if (expected === undefined) assert.equal(message, undefined);
      else assert.match(message ?? "", expected);
    });
});
