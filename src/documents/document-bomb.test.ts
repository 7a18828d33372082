/**
 * The blocker of issue #13, end to end over HTTP: a 200 MB zip bomb uploaded as an attachment (.docx) and as a
 * catalog import (.xlsx) is rejected with its specific code while another request loop keeps hitting a public page;
 * every concurrent request completes promptly (structure, generous bound: < 1 s; the 100 ms p99 target is measured
 * by `npm run bench`), and memory does not explode (nothing is inflated on the server's thread).
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { multipart, ooxmlBomb } from "../../test/documents.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createRecord } from "../publishing/record-draft.service.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-bomb-"));
const { app, db, deps } = await createTestApp({ config: { dataDir } });
const agency = await createAgency(db, { name: "压缩炸弹测试局" });
await createPublishedCatalog(db, agency.id, [{ key: "p", name: "政策文件", deadline: "20个工作日内" }]);
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });

/** Requests a public page in a loop until `done` settles; returns each request's latency (ms). */
async function loadWhile(done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const latencies: number[] = [];
  const deadline = performance.now() + 60_000;
  while ((!finished || latencies.length < 5) && performance.now() < deadline) {
    const t = performance.now();
    const res = await app.inject({ url: `/agencies/${agency.slug}/catalog` });
    latencies.push(performance.now() - t);
    assert.ok(res.statusCode < 500, `page answered ${res.statusCode}`);
    // A visitor's pace, not a tight loop that would itself saturate the thread.
    await new Promise((r) => setTimeout(r, 20));
  }
  return latencies;
}

// Warm the page once (its first render loads templates and fills caches) so the loop measures steady state.
await app.inject({ url: `/agencies/${agency.slug}/catalog` });

const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] ?? 0;

describe("zip bombs over HTTP", () => {
  it("a .docx attachment bomb is rejected; the server keeps serving", async (t) => {
    const record = await createRecord(deps, staffActor(editor, "127.0.0.1"), agency.id, {
      title: "附件测试",
      formedDate: "2026-03-02",
    });
    const bomb = await ooxmlBomb("docx", 200 * 1024 * 1024);
    assert.ok(bomb.length < 1024 * 1024);
    const s = await signIn(app, editor);
    const up = multipart({ name: "名单.docx", data: bomb });
    const rss = process.memoryUsage().rss;
    const upload = app.inject({
      method: "POST",
      url: `/admin/agencies/${agency.slug}/records/${record.id}/attachments`,
      headers: { ...s.headers, "content-type": up.contentType },
      payload: up.body,
    });
    const latencies = await loadWhile(upload);
    const res = await upload;
    // The record page is shown again with the specific reason next to the file field.
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode));
    assert.match(res.body, /id="f-file-error">文件压缩比为 \d+:1，超过上限 100:1（疑似“压缩炸弹”）/);
    assert.ok(latencies.length >= 5);
    t.diagnostic(`concurrent page requests: ${latencies.length}, p99 ${p99(latencies).toFixed(1)} ms`);
    assert.ok(Math.max(...latencies) < 1000, `slowest concurrent request ${Math.max(...latencies)} ms`);
    assert.ok(process.memoryUsage().rss - rss < 300 * 1024 * 1024, "memory did not explode");
    // Nothing was stored for the rejected file.
    assert.equal(fs.existsSync(path.join(dataDir, "uploads", agency.id)), false);
  });

  it("an .xlsx catalog-import bomb is rejected; the server keeps serving", async (t) => {
    const bomb = await ooxmlBomb("xlsx", 200 * 1024 * 1024);
    const s = await signIn(app, admin);
    const up = multipart({ name: "目录.xlsx", data: bomb });
    const upload = app.inject({
      method: "POST",
      url: `/api/v1/agencies/${agency.slug}/catalog/imports`,
      headers: { ...s.headers, "content-type": up.contentType },
      payload: up.body,
    });
    const latencies = await loadWhile(upload);
    const res = await upload;
    assert.equal(res.statusCode, 413, res.body.slice(0, 300));
    assert.equal(res.json().error.code, "document_compression_ratio");
    t.diagnostic(`concurrent page requests: ${latencies.length}, p99 ${p99(latencies).toFixed(1)} ms`);
    assert.ok(Math.max(...latencies) < 1000, `slowest concurrent request ${Math.max(...latencies)} ms`);
  });
});
