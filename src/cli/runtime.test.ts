// The CLI's database handling: a generated encryption key on first start (and an online application accepted with
// no configuration), attaching to a running server's embedded PostgreSQL, and commands that never start one.
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { csrfFromPage, mergeCookies } from "../../test/auth.ts";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { parsePostmasterPid } from "../db/attach.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";
import { ENCRYPTION_KEY_FILE, openRuntime } from "./runtime.ts";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755); // the embedded server runs as `postgres` when the tests run as root
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("postmaster.pid", () => {
  it("reads pid, port and status; rejects garbage", () => {
    const text = "4242\n/data/pg\n1796320875\n54406\n/tmp/gongkai-pg-x\n127.0.0.1\n  1234   5678\nready   \n";
    assert.deepEqual(parsePostmasterPid(text), {
      pid: 4242,
      dataDir: "/data/pg",
      port: 54406,
      status: "ready",
    });
    assert.equal(parsePostmasterPid("not a pid file"), undefined);
    assert.equal(parsePostmasterPid(""), undefined);
  });
});

describe("first start without configuration", async () => {
  const { url } = await createTestDatabase();
  const dataDir = tempDir("gongkai-fresh-");

  it("generates the encryption key (0600) with a loud note, keeps it, and accepts an online application", async () => {
    const config = loadConfig({ DATABASE_URL: url, GONGKAI_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
    assert.equal(config.encryptionKey, undefined);
    const notes: string[] = [];
    const runtime = await openRuntime({ config, note: (t) => notes.push(t), logTo: "stderr" });
    const file = path.join(dataDir, ENCRYPTION_KEY_FILE);
    try {
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const key = fs.readFileSync(file, "utf8").trim();
      assert.match(key, /^[0-9a-f]{64}$/);
      assert.equal(runtime.deps.config.encryptionKey, key);
      assert.equal(notes.length, 1);
      assert.match(notes[0] ?? "", /encryption\.key/);
      assert.match(notes[0] ?? "", /备份/);

      const app = await buildApp(runtime.deps);
      try {
        const agency = await createAgency(runtime.deps.db);
        const page = await app.inject({ url: `/agencies/${agency.slug}/apply` });
        assert.doesNotMatch(page.body, /暂不能在线受理/);
        const res = await app.inject({
          method: "POST",
          url: `/agencies/${agency.slug}/apply`,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            cookie: mergeCookies("", page.headers["set-cookie"]),
          },
          payload: new URLSearchParams({
            _csrf: csrfFromPage(page.body) ?? "",
            applicantType: "natural_person",
            name: "张三",
            idType: "resident_id",
            idNumber: "11010519491231002X",
            phone: "13812345678",
            email: "zhang@example.com",
            address: "",
            postalCode: "",
            infoTitle: "2024年度就业补助资金分配结果",
            infoDocNumber: "",
            infoDescription: "",
            form: "electronic",
            delivery: "email",
            step: "submit",
          }).toString(),
        });
        assert.ok(
          res.statusCode < 400,
          `application accepted (${res.statusCode}): ${res.body.slice(0, 300)}`,
        );
        const rows = await runtime.deps.db
          .selectFrom("info_requests")
          .select("personal_enc")
          .where("agency_id", "=", agency.id)
          .execute();
        assert.equal(rows.length, 1);
        assert.match(rows[0]?.personal_enc ?? "", /^v1:/);
      } finally {
        await app.close();
      }
    } finally {
      await runtime.close();
    }

    const again = await openRuntime({ config, note: (t) => notes.push(t), logTo: "stderr" });
    await again.close();
    assert.equal(
      again.deps.config.encryptionKey,
      fs.readFileSync(file, "utf8").trim(),
      "the same key next time",
    );
    assert.equal(notes.length, 1, "the note is printed once");

    const external = "ab".repeat(32);
    const withKey = loadConfig({
      DATABASE_URL: url,
      GONGKAI_DATA_DIR: dataDir,
      GONGKAI_ENCRYPTION_KEY: external,
      LOG_LEVEL: "silent",
    });
    const third = await openRuntime({ config: withKey, logTo: "stderr" });
    await third.close();
    assert.equal(third.deps.config.encryptionKey, external, "a configured key overrides the generated one");
  });
});

describe("the CLI attaches to a running server's embedded PostgreSQL", async () => {
  const dataDir = tempDir("gongkai-attach-");
  const serverPort = await freePort();
  // The "server": what `gongkai serve` opens (embedded PostgreSQL started by this process, migrated).
  const server = await openRuntime({
    config: loadConfig({
      GONGKAI_DATA_DIR: dataDir,
      GONGKAI_PG_PORT: String(serverPort),
      LOG_LEVEL: "silent",
    }),
    logTo: "stderr",
  });
  after(() => server.close());
  assert.equal(server.handle.mode, "embedded");
  const pgDir = path.join(dataDir, "pg");
  const pidBefore = fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0];
  // A different configured port: the CLI must take the running server's port from postmaster.pid.
  const env = cliEnv(undefined, dataDir, { GONGKAI_PG_PORT: String(await freePort()) });

  for (const argv of [
    ["audit", "verify"],
    ["user", "list"],
    ["requests", "purge", "--json"],
  ]) {
    it(`gongkai ${argv.join(" ")} succeeds while the server runs`, async () => {
      const io = captureIo();
      assert.equal(await main(argv, io, env), 0, io.stderr.text);
      assert.doesNotMatch(io.stderr.text, /starting the embedded PostgreSQL/);
      assert.doesNotMatch(io.stderr.text, /in use/);
    });
  }

  it("leaves the server running (no second postmaster, the server's pool still works)", async () => {
    assert.equal(fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0], pidBefore);
    const row = await server.deps.db
      .selectFrom("agencies")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    assert.ok(row);
  });

  it("commands that need no database never start one", async () => {
    const empty = tempDir("gongkai-nodb-");
    const noDb = { ...env, GONGKAI_DATA_DIR: empty };
    const io = captureIo();
    assert.equal(await main(["deadline", "add", "2025-09-26", "5wd"], io, noDb), 0, io.stderr.text);
    assert.equal(io.stdout.text, "2025-10-10\n");
    assert.match(io.stderr.text, /bundled working-day calendar/);
    const show = captureIo();
    assert.equal(await main(["calendar", "show", "2026", "--json"], show, noDb), 0, show.stderr.text);
    assert.ok(JSON.parse(show.stdout.text).days.length > 0);
    assert.equal(fs.existsSync(path.join(empty, "pg")), false, "no cluster created");
  });

  it("with the server stopped, a command says it starts the embedded server and how to avoid it", async () => {
    await server.close();
    const io = captureIo();
    assert.equal(await main(["user", "list"], io, env), 0, io.stderr.text);
    assert.match(io.stderr.text, /starting the embedded PostgreSQL for this command only/);
    assert.match(io.stderr.text, /DATABASE_URL/);
    assert.equal(fs.existsSync(path.join(pgDir, "postmaster.pid")), false, "and stops it afterwards");
  });
});
