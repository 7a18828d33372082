import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency, createDepartment, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createRecord } from "../publishing/record-draft.service.ts";
import { listDepartments, removeUnusedDepartments } from "./agency.service.ts";
import { DepartmentUses } from "./department-uses.ts";

describe("department uses registry", () => {
  it("unions what every registered check reports, and asks none for no ids", async () => {
    const uses = new DepartmentUses();
    const asked: string[] = [];
    uses.register("a", async (_db, _agency, ids) => {
      asked.push("a");
      return ids.filter((id) => id === "x");
    });
    uses.register("b", async (_db, _agency, ids) => {
      asked.push("b");
      return ids.filter((id) => id === "y");
    });
    const db = {} as never;
    assert.deepEqual([...(await uses.inUse(db, "agency", ["x", "y", "z"]))].sort(), ["x", "y"]);
    assert.deepEqual(asked, ["a", "b"]);
    assert.equal((await uses.inUse(db, "agency", [])).size, 0);
    assert.deepEqual(asked, ["a", "b"]);
    assert.deepEqual(uses.owners(), ["a", "b"]);
  });
});

describe("removing departments a discarded draft created (deps.departmentUses)", async () => {
  const deps = await createTestDeps();
  const agency = await createAgency(deps.db);
  const before = new Date(Date.now() - 60_000);
  const old = await createDepartment(deps.db, agency.id, "旧股");
  await sql`UPDATE departments SET created_at = '2020-01-01T00:00:00Z' WHERE id = ${old.id}`.execute(deps.db);
  const unused = await createDepartment(deps.db, agency.id, "空股");
  const granted = await createDepartment(deps.db, agency.id, "授权股");
  const named = await createDepartment(deps.db, agency.id, "事项股");
  const filed = await createDepartment(deps.db, agency.id, "记录股");
  const editor = await createUser(deps.db, {
    roles: [{ role: "editor", agencyId: agency.id, departmentId: granted.id }, "agency_admin"],
    agencyId: agency.id,
  });
  await createPublishedCatalog(deps.db, agency.id, [
    { key: "k", name: "机构职能", deadline: "实时公开", departmentId: named.id },
  ]);
  await createRecord(deps, staffActor(editor, "127.0.0.1"), agency.id, {
    title: "某股室的记录",
    departmentId: filed.id,
  });

  it("removes only new departments no feature refers to (role grant, catalog item, record)", async () => {
    const ids = [old.id, unused.id, granted.id, named.id, filed.id];
    const removed = await deps.db
      .transaction()
      .execute((trx) => removeUnusedDepartments(trx, deps.departmentUses, agency.id, ids, before));
    assert.equal(removed, 1);
    assert.deepEqual(
      (await listDepartments(deps.db, agency.id)).map((d) => d.name).sort(),
      ["事项股", "授权股", "旧股", "记录股"].sort(),
    );
  });
});
