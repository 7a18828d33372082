import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { auditKeyFrom, createAuditWriter } from "../audit/audit.service.ts";
import { loadConfig } from "../config.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";
import { ensureSecret } from "./runtime.ts";

describe("gongkai user / audit commands", async () => {
  const { db, url } = await createTestDatabase();
  const agency = await createAgency(db);
  // The CLI reads its configuration from the environment: point it at this file's test database.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("user create prints a one-time password and assigns scoped roles", async () => {
    const io = captureIo();
    const code = await main(
      [
        "user",
        "create",
        "--username",
        "Li.Ming",
        "--name",
        "李明",
        "--role",
        `editor:${agency.slug}`,
        "--role",
        `reviewer:${agency.slug}`,
      ],
      io,
      env,
    );
    assert.equal(code, 0, io.stderr.text);
    assert.match(io.stdout.text, /one-time password[^:]*: \S{16}/);
    const row = await db
      .selectFrom("staff_users")
      .selectAll()
      .where("username", "=", "li.ming")
      .executeTakeFirstOrThrow();
    assert.equal(row.home_agency_id, agency.id);
    assert.equal(row.must_change_password, true);
  });

  it("user create refuses unknown roles, missing scopes and 三员 combinations", async () => {
    for (const [args, re] of [
      [["--role", "mayor"], /unknown role/],
      [["--role", "editor"], /needs a scope/],
      [["--role", "platform_admin", "--role", "audit_admin"], /三员分立/],
    ] as const) {
      const io = captureIo();
      const code = await main(["user", "create", "--username", "x-user", "--name", "某", ...args], io, env);
      assert.notEqual(code, 0);
      assert.match(io.stderr.text, re);
    }
  });

  it("user create names each refused field with the option and the reason in Chinese", async () => {
    const io = captureIo();
    const code = await main(
      ["user", "create", "--username", "A", "--name", "某".repeat(51), "--role", `editor:${agency.slug}`],
      io,
      env,
    );
    assert.equal(code, 1);
    assert.match(io.stderr.text, /validation_failed/);
    assert.match(io.stderr.text, /--username（用户名）：用户名为 3–40 位小写字母、数字或 \. _ -/);
    assert.match(io.stderr.text, /--name（姓名）：请填写姓名（不超过50字）/);
    // A password read from standard input that the policy refuses.
    const weak = captureIo("123\n");
    const weakCode = await main(
      [
        "user",
        "create",
        "--username",
        "weak.pw",
        "--name",
        "某",
        "--role",
        `editor:${agency.slug}`,
        "--password-stdin",
      ],
      weak,
      env,
    );
    assert.equal(weakCode, 1);
    assert.match(weak.stderr.text, /--password-stdin（密码）：\S/);
    const noRole = captureIo();
    assert.equal(await main(["user", "create", "--username", "x-user", "--name", "某"], noRole, env), 2);
    assert.match(noRole.stderr.text, /缺少 --role/);
    const noAgency = captureIo();
    assert.equal(
      await main(
        ["user", "create", "--username", "x-user", "--name", "某", "--role", "editor:nowhere"],
        noAgency,
        env,
      ),
      1,
    );
    assert.match(noAgency.stderr.text, /--role：没有标识为“nowhere”的机关/);
  });

  it("user list --json lists accounts with their roles", async () => {
    const io = captureIo();
    assert.equal(await main(["user", "list", "--json"], io, env), 0, io.stderr.text);
    const list = JSON.parse(io.stdout.text) as { username: string; roles: string[] }[];
    assert.deepEqual(list.find((u) => u.username === "li.ming")?.roles.sort(), [
      `editor:${agency.slug}`,
      `reviewer:${agency.slug}`,
    ]);
  });

  it("user reset-password issues a new one-time password", async () => {
    const io = captureIo();
    assert.equal(await main(["user", "reset-password", "--username", "li.ming"], io, env), 0, io.stderr.text);
    assert.match(io.stdout.text, /one-time password: \S{16}/);
    const missing = captureIo();
    assert.equal(await main(["user", "reset-password", "--username", "ghost"], missing, env), 1);
    assert.match(missing.stderr.text, /user_not_found/);
  });

  it("audit verify passes on an intact chain and names the row edited in the database", async () => {
    // Written with the key the CLI uses (derived from the secret it generated in the data directory).
    const audit = createAuditWriter(auditKeyFrom(ensureSecret(loadConfig(env))));
    await audit.record(db, {
      actorId: null,
      action: "test.cli",
      agencyId: null,
      entityType: "t",
      entityId: null,
      summary: "一",
    });
    const ok = captureIo();
    assert.equal(await main(["audit", "verify", "--json"], ok, env), 0, ok.stderr.text);
    assert.equal(JSON.parse(ok.stdout.text).ok, true);
    const target = await db
      .selectFrom("audit_events")
      .select("seq")
      .where("action", "=", "user.create")
      .executeTakeFirstOrThrow();
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(db);
    await sql`UPDATE audit_events SET actor_name = 'someone else' WHERE seq = ${target.seq}`.execute(db);
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`.execute(db);
    const broken = captureIo();
    assert.equal(await main(["audit", "verify"], broken, env), 1);
    assert.match(broken.stdout.text, new RegExp(`BROKEN at row seq=${target.seq} \\(hash_mismatch\\)`));
  });
});
