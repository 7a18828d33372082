import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createDepartment, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { AppError } from "../errors.ts";
import { fixedClock } from "../shared/clock.ts";
import { createRecord } from "./record-draft.service.ts";

const deps = await createTestDeps({ clock: fixedClock("2026-03-16T10:00:00+08:00") });
const agency = await createAgency(deps.db, { name: "测试县人力资源和社会保障局" });
const jobs = await createDepartment(deps.db, agency.id, "就业促进股");
const office = await createDepartment(deps.db, agency.id, "局办公室");
const items = await createPublishedCatalog(deps.db, agency.id, [
  { key: "budget", name: "部门预算", deadline: "批复后20日内", departmentId: office.id },
]);
const clerk = await createUser(deps.db, {
  roles: [{ role: "editor", agencyId: agency.id, departmentId: jobs.id }],
  agencyId: agency.id,
});

describe("a 股室 editor drafting under another unit's item", () => {
  it("is refused on the 责任股室 field with the unit to choose, not with a bare forbidden", async () => {
    // 责任股室 left at its default (按目录事项的责任单位): the item belongs to 局办公室.
    const input = {
      title: "2026年部门预算",
      formedDate: "2026-03-02",
      itemId: items.budget!.id,
      bodyHtml: "<p>x</p>",
      departmentId: null,
    };
    await assert.rejects(createRecord(deps, staffActor(clerk), agency.id, input), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "forbidden");
      const field = e.fields.find((f) => f.field === "departmentId");
      assert.ok(field, "the refusal names the field");
      assert.match(field.message, /责任股室为“局办公室”/);
      assert.match(field.message, /请在“责任股室”中选择“就业促进股”/);
      return true;
    });
    // Following the advice works.
    const ok = await createRecord(deps, staffActor(clerk), agency.id, { ...input, departmentId: jobs.id });
    assert.ok(ok.id);
  });
});

describe("the form after such a refusal", async () => {
  const { createTestApp } = await import("../../test/test-app.ts");
  const { signIn } = await import("../../test/auth.ts");
  const t = await createTestApp({ db: deps.db, clock: fixedClock("2026-03-16T10:00:00+08:00") });

  it("is shown again (403) with the typed title and the advice beside 责任股室", async () => {
    const s = await signIn(t.app, clerk);
    const res = await t.app.inject({
      method: "POST",
      url: `/admin/agencies/${agency.slug}/records`,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: s.csrfToken,
        kind: "document",
        title: "我认真录入的标题",
        formedDate: "2026-03-02",
        issuingAgency: agency.name,
        itemId: items.budget!.id,
        departmentId: "",
        disclosure: "主动公开",
      }).toString(),
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /value="我认真录入的标题"/);
    assert.match(res.body, /请在“责任股室”中选择“就业促进股”/);
  });
});
