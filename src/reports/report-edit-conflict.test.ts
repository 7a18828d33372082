import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";

const { app, db } = await createTestApp(); // clock: 2026-03-16
const agency = await createAgency(db, { name: "冲突测试县人力资源和社会保障局" });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const colleague = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const base = `/admin/agencies/${agency.slug}/reports/2025`;

async function post(url: string, user: TestUser, form: Record<string, string>) {
  const s = await signIn(app, user);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ ...form, _csrf: s.csrfToken }).toString(),
  });
}

async function versionOn(url: string, user: TestUser): Promise<string> {
  const page = await app.inject({ url, headers: (await signIn(app, user)).headers });
  return /name="version" value="(\d+)"/.exec(page.body)?.[1] as string;
}

describe("two staff editing the same annual report", () => {
  it("the later save of the narratives gets its text back, not a report page that lost it", async () => {
    const generated = await post(`/admin/agencies/${agency.slug}/reports/generate`, admin, { year: "2025" });
    assert.equal(generated.statusCode, 303, generated.body);
    const mine = await versionOn(`${base}/edit/text`, admin);
    const theirs = await versionOn(`${base}/edit/text`, colleague);
    const first = await post(`${base}/edit/text`, colleague, { version: theirs, problems: "同事写的问题。" });
    assert.equal(first.statusCode, 303, first.body);

    const late = await post(`${base}/edit/text`, admin, {
      version: mine,
      problems: "我写了一小时的问题和改进。",
    });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /其他工作人员已修改并保存了该年度报告/);
    assert.match(late.body, /<textarea[^>]*name="problems"[^>]*>我写了一小时的问题和改进。<\/textarea>/);
    const report = await app.inject({ url: base, headers: (await signIn(app, admin)).headers });
    assert.match(report.body, /同事写的问题。/, "the colleague's save stands");

    // The form shown again carries the current version: saving now is a deliberate overwrite.
    const current = /name="version" value="(\d+)"/.exec(late.body)?.[1] as string;
    assert.notEqual(current, mine);
    const retry = await post(`${base}/edit/text`, admin, {
      version: current,
      problems: "我写了一小时的问题和改进。",
    });
    assert.equal(retry.statusCode, 303, retry.body);
  });

  it("a cells form keeps the typed figures on a conflict", async () => {
    const mine = await versionOn(`${base}/edit/proactive`, admin);
    const theirs = await versionOn(`${base}/edit/proactive`, colleague);
    await post(`${base}/edit/proactive`, colleague, {
      version: theirs,
      "proactive.item6.coercion.decisions": "2",
    });
    const late = await post(`${base}/edit/proactive`, admin, {
      version: mine,
      "proactive.item6.coercion.decisions": "7",
    });
    assert.equal(late.statusCode, 409);
    assert.match(
      late.body,
      /id="c-proactive-item6-coercion-decisions"[^>]*value="7"|value="7"[^>]*id="c-proactive-item6-coercion-decisions"/,
    );
  });
});
