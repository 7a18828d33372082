/**
 * Two real app processes (`gongkai serve`) on one database: a record published through process A's API is on
 * process B's cached agency page at once (the cross-process event bridge, LISTEN/NOTIFY).
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
import { createPublishedCatalog, FULL_CHECKLIST, publishOn } from "../publishing/publishing.fixtures.ts";
import { updatePublishingSettings } from "../publishing/publishing-settings.service.ts";
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
  new Date("2026-01-05T02:00:00Z"),
);
const boss = await createUser(db, { roles: ["agency_admin", "reviewer", "approver"], agencyId: agency.id });
await updatePublishingSettings(deps, null, agency.id, {
  indexTemplate: "{CREDIT}/{YYYY}-{NNNNN}",
  indexCode: "DEMO-TWO",
  indexCodeIsDemo: true,
  notifyEmails: {},
});
await publishOn(deps, { user: boss }, agency.id, "2026-03-10", {
  title: "第一份已发布的水利文件",
  formedDate: "2026-03-09",
  itemId: items.policy!.id,
  bodyHtml: "<p>正文一</p>",
});
// A second record, approved but not yet published: process A publishes it.
const { id: pending } = await createRecord(deps, { user: boss }, agency.id, {
  title: "第二份由另一进程发布的水利文件",
  formedDate: "2026-03-12",
  itemId: items.policy!.id,
  bodyHtml: "<p>正文二</p>",
});
await advanceRecord(deps, { user: boss }, agency.id, pending, "submit");
await advanceRecord(deps, { user: boss }, agency.id, pending, "review", { checklist: FULL_CHECKLIST });
await advanceRecord(deps, { user: boss }, agency.id, pending, "approve", { piiOverrideReason: "测试" });
const { token } = await createToken(deps, { user: boss }, { name: "两进程测试", scopes: ["record.publish"] });

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

/** Starts `gongkai serve` on the test database; resolves with its base URL once it listens. */
async function serve(name: string): Promise<string> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `gongkai-${name}-`));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    ["--import", "./bin/node-check.js", "bin/gongkai.js", "serve", "--no-seed"],
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
        resolve(`http://127.0.0.1:${port}`);
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
    const [a, b] = await Promise.all([serve("a"), serve("b")]);
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
});
