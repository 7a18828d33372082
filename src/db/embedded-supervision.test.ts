/**
 * Issue #13, database loss: the server supervises its embedded PostgreSQL. SIGKILL the postmaster under load →
 * requests answer 503 database_unavailable (never 500) until the app has restarted it, the pool reconnects, a log
 * line and an audit entry record the restart; when it cannot be restarted, /healthz turns 503.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { testConfig } from "../../test/test-app.ts";
import { buildApp } from "../app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { openRuntime, type Runtime } from "../cli/runtime.ts";

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The error code of a JSON error body (or of an HTML error page, which names it). */
const errorCode = (body: string) =>
  /"code":"([a-z_]+)"|错误代码：([a-z_]+)/.exec(body)?.slice(1).find(Boolean);

const JSON_ONLY = { accept: "application/json" };
/** An unknown API token: looking it up needs the database (401 while it is up, 503 while it is down). */
const TOKEN = { ...JSON_ONLY, authorization: `Bearer gkt_${"x".repeat(43)}` };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("embedded PostgreSQL supervision (SIGKILL the postmaster)", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-supervise-"));
  fs.chmodSync(root, 0o755);
  const pgDataDir = path.join(root, "pg");
  const runtime: Runtime = await openRuntime({
    config: testConfig({ databaseUrl: undefined, dataDir: root, pgDataDir, pgPort: await freePort() }),
    supervise: { maxRestarts: 3, backoffMs: 300 },
    logTo: "stderr",
  });
  const app: FastifyInstance = await buildApp(runtime.deps);
  after(async () => {
    await app.close();
    await runtime.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const embedded = runtime.handle.embedded;
  assert.ok(embedded, "the runtime started the embedded server");

  /** Requests a page that needs the database and the probes until `until` holds; returns every status seen. */
  async function watch(until: () => boolean, timeoutMs: number) {
    const seen: { url: string; status: number; code?: string }[] = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const url of ["/api/v1/agencies", "/api/v1/me", "/readyz", "/healthz"]) {
        const res = await app.inject({ url, headers: url === "/api/v1/me" ? TOKEN : JSON_ONLY });
        seen.push({
          url,
          status: res.statusCode,
          ...(res.statusCode >= 400 ? { code: errorCode(res.body) } : {}),
        });
      }
      if (until()) break;
      await sleep(50);
    }
    return seen;
  }

  it("restarts a killed postmaster: 503s with Retry-After in between, never 500, then service resumes", async () => {
    assert.equal((await app.inject({ url: "/api/v1/agencies" })).statusCode, 200);
    const pid = embedded.pid();
    assert.ok(pid);
    process.kill(pid, "SIGKILL");
    let recovered = false;
    const seen = await watch(() => {
      recovered = embedded.state() === "running" && embedded.pid() !== pid;
      return recovered;
    }, 60_000);
    assert.ok(recovered, `restarted: state ${embedded.state()}`);
    // Requests during the outage: 503 database_unavailable (readyz: service_unavailable), never a 500.
    const fiveHundreds = seen.filter((s) => s.status >= 500 && s.status !== 503);
    assert.deepEqual(fiveHundreds, []);
    const unavailable = seen.filter((s) => s.status === 503);
    assert.ok(unavailable.length > 0, "the outage was seen");
    assert.ok(
      unavailable.filter((s) => s.url === "/api/v1/agencies").every((s) => s.code === "database_unavailable"),
      JSON.stringify(unavailable.slice(0, 3)),
    );
    assert.ok(
      seen.filter((s) => s.url === "/healthz").every((s) => s.status === 200),
      "a recoverable outage keeps /healthz 200",
    );
    // The pool reconnects: the same app serves pages again.
    let page = await app.inject({ url: "/api/v1/agencies" });
    for (let i = 0; i < 20 && page.statusCode !== 200; i++) {
      await sleep(250);
      page = await app.inject({ url: "/api/v1/agencies" });
    }
    assert.equal(page.statusCode, 200);
    const retry = await app.inject({ url: "/readyz" });
    assert.equal(retry.statusCode, 200);
    // An audit entry records the restart.
    let events = await listAuditEvents(runtime.deps.db, { action: "system.database_restarted" });
    for (let i = 0; i < 20 && events.length === 0; i++) {
      await sleep(100);
      events = await listAuditEvents(runtime.deps.db, { action: "system.database_restarted" });
    }
    assert.equal(events.length, 1);
    assert.match(events[0]?.summary ?? "", /已自动重启/);
  });

  it("when the postmaster cannot be restarted, /healthz turns 503 and pages stay 503 (never 500)", async () => {
    const pid = embedded.pid();
    assert.ok(pid);
    // Make every restart fail: the data directory is gone (moved away) when the postmaster dies.
    const moved = `${pgDataDir}.moved`;
    fs.renameSync(pgDataDir, moved);
    process.kill(pid, "SIGKILL");
    const seen = await watch(() => embedded.state() === "failed", 60_000);
    assert.equal(embedded.state(), "failed");
    const health = await app.inject({ url: "/healthz", headers: { accept: "application/json" } });
    assert.equal(health.statusCode, 503);
    assert.equal(errorCode(health.body), "database_unavailable", health.body.slice(0, 200));
    assert.ok(health.headers["retry-after"]);
    // (The public agency list may come from the page cache; an API token lookup needs the database.)
    const page = await app.inject({ url: "/api/v1/me", headers: TOKEN });
    assert.equal(page.statusCode, 503);
    assert.equal(errorCode(page.body), "database_unavailable");
    assert.equal((await app.inject({ url: "/readyz", headers: JSON_ONLY })).statusCode, 503);
    assert.deepEqual(
      seen.filter((s) => s.status >= 500 && s.status !== 503),
      [],
    );
    fs.renameSync(moved, pgDataDir);
  });
});
