/**
 * Two real app processes (`gongkai serve`) on one database: a record published through process A's API is on
 * process B's cached agency page at once (the cross-process event bridge, LISTEN/NOTIFY). The same with
 * `gongkai serve --workers 2` (node:cluster workers sharing one port; only worker 1 runs the jobs), and its
 * graceful stop.
 */

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps, TEST_ENCRYPTION_KEY, TEST_SECRET } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { createToken } from "../accounts/api-token.service.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { FULL_CHECKLIST, publishOn, useDemoIndexCode } from "../publishing/publishing.fixtures.ts";
import { createRecord } from "../publishing/record-draft.service.ts";
import { advanceRecord } from "../publishing/record-workflow.service.ts";
import { fixedClock } from "../shared/clock.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const { db, url } = await createTestDatabase();
const deps = await createTestDeps({ db, clock: fixedClock("2026-03-16T10:00:00+08:00") });
const agency = await createAgency(db, { name: "测试县水利局" });
const items = await createPublishedCatalog(
  db,
  agency.id,
  [{ key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" }],
  { publishedAt: new Date("2026-01-05T02:00:00Z") },
);
const boss = await createUser(db, { roles: ["agency_admin", "reviewer", "approver"], agencyId: agency.id });
await useDemoIndexCode(deps, agency.id, "DEMO-TWO");
await publishOn(deps, staffActor(boss), agency.id, "2026-03-10", {
  title: "第一份已发布的水利文件",
  formedDate: "2026-03-09",
  itemId: items.policy!.id,
  bodyHtml: "<p>正文一</p>",
});
// A second record, approved but not yet published: process A publishes it.
const { id: pending } = await createRecord(deps, staffActor(boss), agency.id, {
  title: "第二份由另一进程发布的水利文件",
  formedDate: "2026-03-12",
  itemId: items.policy!.id,
  bodyHtml: "<p>正文二</p>",
});
await advanceRecord(deps, staffActor(boss), agency.id, pending, "submit");
await advanceRecord(deps, staffActor(boss), agency.id, pending, "review", { checklist: FULL_CHECKLIST });
await advanceRecord(deps, staffActor(boss), agency.id, pending, "approve", { piiOverrideReason: "测试" });
// A third, for the `serve --workers 2` test.
const { id: pendingForWorkers } = await createRecord(deps, staffActor(boss), agency.id, {
  title: "第三份由另一工作进程发布的水利文件",
  formedDate: "2026-03-12",
  itemId: items.policy!.id,
  bodyHtml: "<p>正文三</p>",
});
await advanceRecord(deps, staffActor(boss), agency.id, pendingForWorkers, "submit");
await advanceRecord(deps, staffActor(boss), agency.id, pendingForWorkers, "review", {
  checklist: FULL_CHECKLIST,
});
await advanceRecord(deps, staffActor(boss), agency.id, pendingForWorkers, "approve", {
  piiOverrideReason: "测试",
});
const { token } = await createToken(deps, staffActor(boss), {
  name: "两进程测试",
  scopes: ["record.publish"],
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) {
    if (c.exitCode !== null) continue;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (c.exitCode === null) c.kill("SIGKILL");
  }
});

/** Starts `gongkai serve` on the test database; resolves with its base URL (and output) once it listens. */
async function serve(
  name: string,
  extra: { args?: string[]; env?: Record<string, string> } = {},
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `gongkai-${name}-`));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    ["--import", "./bin/node-check.js", "bin/gongkai.js", "serve", "--no-seed", ...(extra.args ?? [])],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        HOST: "127.0.0.1",
        GONGKAI_DATA_DIR: dataDir,
        GONGKAI_SECRET: TEST_SECRET,
        GONGKAI_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        GONGKAI_JOBS: "false",
        LOG_LEVEL: "warn",
        ...extra.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child, output: () => output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}

describe("two app processes on one database", () => {
  it("a publish on process A invalidates process B's cached page at once", async () => {
    const [a, b] = (await Promise.all([serve("a"), serve("b")])).map((s) => s.url) as [string, string];
    const page = `/agencies/${agency.slug}`;
    const first = await fetch(`${b}${page}`);
    assert.equal(first.status, 200);
    const before = await first.text();
    assert.match(before, /第一份已发布的水利文件/);
    assert.doesNotMatch(before, /第二份由另一进程发布的水利文件/);
    const cached = await fetch(`${b}${page}`);
    assert.equal(cached.headers.get("x-cache"), "hit", "B serves the agency page from its cache");
    await cached.text();

    const published = await fetch(`${a}/api/v1/agencies/${agency.slug}/records/${pending}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(published.status, 200, await published.clone().text());
    await published.text();

    // NOTIFY is delivered when A's publish commits; B drops the agency's pages on receipt. Allow a moment for the
    // message to travel (generous bound; normally a few milliseconds).
    let after = "";
    let cache: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${b}${page}`);
      cache = res.headers.get("x-cache");
      after = await res.text();
      if (after.includes("第二份由另一进程发布的水利文件")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(after, /第二份由另一进程发布的水利文件/, "B shows the record A published");
    assert.equal(cache, "miss", "B re-rendered the page after the invalidation");
  });

  it("serve --workers 2: one port, one job runner, a publish through one worker refreshes the other's page", async () => {
    const server = await serve("workers", { args: ["--workers", "2"], env: { GONGKAI_JOBS: "true" } });
    const page = `${server.url}/agencies/${agency.slug}`;
    // The primary reports when both workers listen; each worker prints its line once its bridge (and runner) started.
    for (
      let i = 0;
      i < 300 &&
      !/worker 1 listening[^\n]*\n[\s\S]*worker 2 listening|worker 2 listening[^\n]*\n[\s\S]*worker 1 listening/.test(
        server.output(),
      );
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    assert.match(server.output(), /worker 1 listening \(job runner\)/, "worker 1 is the elected job runner");
    assert.match(server.output(), /worker 2 listening\n/, "worker 2 serves HTTP only");
    // Connections are handed out round-robin: fetch until each worker has answered from its own cache.
    const cachedBy = new Set<string>();
    for (let i = 0; i < 60 && cachedBy.size < 2; i++) {
      const res = await fetch(page, { headers: { connection: "close" } });
      assert.equal(res.status, 200);
      assert.doesNotMatch(await res.text(), /第三份由另一工作进程发布的水利文件/);
      if (res.headers.get("x-cache") === "hit") cachedBy.add(res.headers.get("x-gongkai-worker") ?? "?");
    }
    assert.deepEqual([...cachedBy].sort(), ["1", "2"], "both workers hold the page in their cache");

    const published = await fetch(
      `${server.url}/api/v1/agencies/${agency.slug}/records/${pendingForWorkers}/publish`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          connection: "close",
        },
        body: "{}",
      },
    );
    assert.equal(published.status, 200, await published.clone().text());
    await published.text();
    const publisher = published.headers.get("x-gongkai-worker");
    assert.ok(publisher === "1" || publisher === "2", `published through worker ${publisher}`);

    // The other worker's cached page shows the record (the event crossed over LISTEN/NOTIFY).
    let seen: { body: string; cache: string | null } | undefined;
    for (let i = 0; i < 60 && !seen; i++) {
      const res = await fetch(page, { headers: { connection: "close" } });
      const body = await res.text();
      if (
        res.headers.get("x-gongkai-worker") !== publisher &&
        body.includes("第三份由另一工作进程发布的水利文件")
      )
        seen = { body, cache: res.headers.get("x-cache") };
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(seen, "the other worker shows the record published through the first");
    assert.equal(seen.cache, "miss", "the other worker re-rendered after the invalidation");

    // Graceful stop: SIGTERM to the primary stops the workers, then the primary exits 0.
    const exited = new Promise<number | null>((r) => server.child.once("exit", (code) => r(code)));
    server.child.kill("SIGTERM");
    assert.equal(await exited, 0, server.output());
    await assert.rejects(fetch(page, { headers: { connection: "close" } }), "nothing listens any more");
  });
});
