import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import type { JobContext } from "../jobs/job.ts";
import { runRecorded } from "../jobs/job-runner.ts";
import { runsOf } from "../jobs/jobs.repository.ts";
import { fixedClock } from "../shared/clock.ts";
import { checkExternalUrl, isPublicAddress } from "./link-check.ts";
import { publishOn, useDemoIndexCode } from "./publishing.fixtures.ts";
import { dutyNoticesJob, linkCheckJob } from "./publishing.jobs.ts";
import { createRecord } from "./record-draft.service.ts";

// A local web server stands in for external sites (the machine has no network): /ok answers 200, /gone 404,
// /moved redirects to /gone, /head-refused answers 405 to HEAD and 200 to GET.
const hits: string[] = [];
const server = http.createServer((req, res) => {
  hits.push(`${req.method} ${req.url}`);
  if (req.url === "/ok") res.writeHead(200).end("ok");
  else if (req.url === "/moved") res.writeHead(301, { location: "/gone" }).end();
  else if (req.url === "/head-refused") res.writeHead(req.method === "HEAD" ? 405 : 200).end();
  else res.writeHead(404).end("gone");
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
after(() => new Promise<void>((r) => server.close(() => r())));
const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const deps = await createTestDeps({
  clock: fixedClock("2025-10-30T10:00:00+08:00"),
  config: { linkCheckAllowPrivate: true },
});
const agency = await createAgency(deps.db, { name: "测试县交通运输局" });
const items = await createPublishedCatalog(
  deps.db,
  agency.id,
  [{ key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" }],
  { publishedAt: new Date("2025-01-02T02:00:00Z") },
);
const boss = await createUser(deps.db, {
  roles: ["agency_admin", "reviewer", "approver"],
  agencyId: agency.id,
});
await useDemoIndexCode(deps, agency.id, "DEMO-JOBS");
const page = await publishOn(deps, staffActor(boss), agency.id, "2025-06-03", {
  title: "交通政策汇编",
  formedDate: "2025-06-02",
  itemId: items.policy!.id,
  bodyHtml: `<p><a href="${site}/ok">好链接</a> <a href="${site}/gone">坏链接</a> <a href="${site}/moved">跳转</a>
<a href="${site}/head-refused">只接受GET</a> <a href="/agencies/${agency.slug}/records/00000000-0000-4000-8000-000000000000">不存在</a></p>`,
});
// A draft formed 2025-09-01: due 2025-09-28, overdue on 2025-10-30.
await createRecord({ ...deps, clock: fixedClock("2025-09-02T10:00:00+08:00") }, staffActor(boss), agency.id, {
  title: "关于开展道路运输安全检查的通知",
  formedDate: "2025-09-01",
  itemId: items.policy!.id,
});

function ctx(over: Partial<JobContext> = {}): JobContext {
  return { deps, jobId: "test", attempt: 0, signal: new AbortController().signal, data: {}, ...over };
}

async function notices(kind: string) {
  return deps.db
    .selectFrom("duty_notices")
    .selectAll()
    .where("agency_id", "=", agency.id)
    .where("kind", "=", kind)
    .execute();
}

describe("publishing jobs", () => {
  it("duty notices: the overdue draft gets one notice, and a second run adds none", async () => {
    const first = await runRecorded(dutyNoticesJob, ctx());
    assert.ok((first.agencies?.[agency.id]?.notices ?? 0) >= 1);
    const overdue = await notices("overdue");
    assert.ok(overdue.some((n) => n.subject.includes("关于开展道路运输安全检查的通知")));
    const second = await runRecorded(dutyNoticesJob, ctx());
    assert.equal(second.agencies?.[agency.id]?.notices, 0);
    const runs = await runsOf(deps.db, "publishing.duty-notices", 5);
    assert.deepEqual(
      runs.map((r) => r.status),
      ["succeeded", "succeeded"],
    );
  });

  it("link check: broken internal and external links become notices; working ones do not", async () => {
    hits.length = 0;
    const summary = await runRecorded(linkCheckJob, ctx());
    const figures = summary.agencies?.[agency.id];
    assert.equal(figures?.external, 4);
    assert.equal(figures?.broken, 3, "gone, moved → gone, and the missing record");
    const broken = await notices("broken_link");
    const urls = broken.map((n) => n.body).join("\n");
    assert.match(urls, /\/gone/);
    assert.match(urls, /\/moved/);
    assert.match(urls, /00000000-0000-4000-8000-000000000000/);
    assert.doesNotMatch(urls, /\/ok|head-refused/);
    assert.ok(broken.every((n) => n.link.includes(page)));
    assert.ok(hits.includes("GET /head-refused"), "HEAD refused → GET");
    const again = await runRecorded(linkCheckJob, ctx());
    assert.equal(again.agencies?.[agency.id]?.notices, 0, "each broken link is reported once");
  });

  it("external requests never reach private addresses unless allowed", async () => {
    const options = { allowPrivate: false, userAgent: "test", timeoutMs: 2000 };
    hits.length = 0;
    assert.equal(await checkExternalUrl(`${site}/ok`, options), "链接指向内部网络地址，未检查");
    assert.equal(
      await checkExternalUrl(`http://localhost:${new URL(site).port}/ok`, options),
      "链接指向内部网络地址，未检查",
    );
    assert.deepEqual(hits, [], "no request was sent");
    assert.equal(await checkExternalUrl(`${site}/ok`, { ...options, allowPrivate: true }), null);
    assert.equal(await checkExternalUrl("ftp://example.com/x", options), "链接跳转到不支持的协议");
    for (const ip of [
      "10.1.2.3",
      "192.168.0.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "100.64.0.1",
      "::ffff:127.0.0.1",
    ])
      assert.equal(isPublicAddress(ip), false, ip);
    for (const ip of ["8.8.8.8", "2001:4860:4860::8888"]) assert.equal(isPublicAddress(ip), true, ip);
  });
});
