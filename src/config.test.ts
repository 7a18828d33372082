import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("has working defaults: embedded database under ./data/pg, port 3000", () => {
    const c = loadConfig({}, "/srv/app");
    assert.equal(c.port, 3000);
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.pgDataDir, path.resolve("/srv/app/data/pg"));
    assert.equal(c.publicUrl, "http://127.0.0.1:3000");
    assert.equal(c.sessionIdleMinutes, 30);
    assert.equal(c.loginMaxFailures, 5);
    assert.equal(c.loginLockMinutes, 15);
    assert.ok(Object.isFrozen(c));
  });
  it("reads overrides", () => {
    const c = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgres://u:p@db:5432/g",
      GONGKAI_DATA_DIR: "/var/lib/gk",
      PUBLIC_URL: "https://gk.example.gov.cn/",
    });
    assert.equal(c.port, 8080);
    assert.equal(c.databaseUrl, "postgres://u:p@db:5432/g");
    assert.equal(c.pgDataDir, "/var/lib/gk/pg");
    assert.equal(c.publicUrl, "https://gk.example.gov.cn");
    assert.equal(c.cookieSecure, true);
  });
  it("lists every problem at once", () => {
    try {
      loadConfig({
        PORT: "abc",
        DATABASE_URL: "mysql://x",
        LOG_LEVEL: "loud",
        GONGKAI_SECRET: "short",
        SESSION_IDLE_MINUTES: "0",
      });
      assert.fail("expected ConfigError");
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 5, e.problems.join("\n"));
      assert.match(e.message, /PORT must be a whole number/);
      assert.match(e.message, /DATABASE_URL must start with postgres/);
      assert.match(e.message, /LOG_LEVEL/);
      assert.match(e.message, /GONGKAI_SECRET/);
      assert.match(e.message, /SESSION_IDLE_MINUTES must be between 1/);
    }
  });
  it("reads DATABASE_READ_URL (a streaming replica) and validates it like DATABASE_URL", () => {
    assert.equal(loadConfig({}).databaseReadUrl, undefined);
    const c = loadConfig({
      DATABASE_URL: "postgres://u:p@primary:5432/g",
      DATABASE_READ_URL: " postgresql://u:p@replica:5432/g ",
    });
    assert.equal(c.databaseReadUrl, "postgresql://u:p@replica:5432/g");
    assert.throws(
      () => loadConfig({ DATABASE_READ_URL: "mysql://replica/g" }),
      /DATABASE_READ_URL must start with postgres/,
    );
    assert.throws(
      () => loadConfig({ DATABASE_READ_URL: "replica host" }),
      /DATABASE_READ_URL is not a valid URL/,
    );
  });
  it("reads STATIC_PAGES_DIR (absolute, not /; unset = off)", () => {
    assert.equal(loadConfig({}).staticPagesDir, undefined);
    assert.equal(
      loadConfig({ STATIC_PAGES_DIR: " /var/lib/gongkai/pages/ " }).staticPagesDir,
      "/var/lib/gongkai/pages",
    );
    assert.throws(
      () => loadConfig({ STATIC_PAGES_DIR: "pages" }),
      /STATIC_PAGES_DIR must be an absolute directory/,
    );
    assert.throws(
      () => loadConfig({ STATIC_PAGES_DIR: "/" }),
      /STATIC_PAGES_DIR must be an absolute directory/,
    );
  });
  it("reads GONGKAI_PG_IO_WORKERS (1–32; unset = by the cores)", () => {
    assert.equal(loadConfig({}).pgIoWorkers, undefined);
    assert.equal(loadConfig({ GONGKAI_PG_IO_WORKERS: "3" }).pgIoWorkers, 3);
    assert.throws(
      () => loadConfig({ GONGKAI_PG_IO_WORKERS: "0" }),
      /GONGKAI_PG_IO_WORKERS must be between 1 and 32/,
    );
    assert.throws(() => loadConfig({ GONGKAI_PG_IO_WORKERS: "two" }), /must be a whole number/);
  });
  it("reads GONGKAI_PG_SHARED_BUFFERS_MB (16 MB – 1 TB; unset = sized to memory)", () => {
    assert.equal(loadConfig({}).pgSharedBuffersMb, undefined);
    assert.equal(loadConfig({ GONGKAI_PG_SHARED_BUFFERS_MB: "2048" }).pgSharedBuffersMb, 2048);
    assert.throws(
      () => loadConfig({ GONGKAI_PG_SHARED_BUFFERS_MB: "8" }),
      /GONGKAI_PG_SHARED_BUFFERS_MB must be between/,
    );
    assert.throws(() => loadConfig({ GONGKAI_PG_SHARED_BUFFERS_MB: "2GB" }), /must be a whole number/);
  });

  it("validates the encryption key length", () => {
    assert.throws(() => loadConfig({ GONGKAI_ENCRYPTION_KEY: "abcd" }), /GONGKAI_ENCRYPTION_KEY/);
    assert.equal(loadConfig({ GONGKAI_ENCRYPTION_KEY: "a".repeat(64) }).encryptionKey, "a".repeat(64));
  });
  it("accepts an optional audit-chain key of at least 32 characters", () => {
    assert.equal(loadConfig({}).auditKey, undefined);
    assert.throws(
      () => loadConfig({ GONGKAI_AUDIT_KEY: "short-key" }),
      /GONGKAI_AUDIT_KEY must be at least 32/,
    );
    assert.equal(loadConfig({ GONGKAI_AUDIT_KEY: ` ${"k".repeat(32)} ` }).auditKey, "k".repeat(32));
  });
});

describe("TRUST_PROXY", () => {
  const cases: [string | undefined, false | number | string[]][] = [
    [undefined, false],
    ["off", false],
    ["2", 2],
    ["127.0.0.1", ["127.0.0.1"]],
    ["10.0.0.0/8, ::1", ["10.0.0.0/8", "::1"]],
  ];
  for (const [raw, expected] of cases)
    it(`${raw} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(loadConfig(raw === undefined ? {} : { TRUST_PROXY: raw }).trustProxy, expected));
  for (const bad of ["true", "all", "11", "10.0.0.0/33", "proxy.local"])
    it(`refuses ${bad}`, () => assert.throws(() => loadConfig({ TRUST_PROXY: bad }), ConfigError));
});
