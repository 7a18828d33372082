import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestDeps } from "../test/test-app.ts";
import { PAGE_CHANGING_EVENTS } from "./portal/portal.wiring.ts";

describe("registerFeatures (via createDeps)", async () => {
  const deps = await createTestDeps();

  it("subscribes the portal's page cache to every event that changes a public page", () => {
    for (const event of PAGE_CHANGING_EVENTS)
      assert.deepEqual(deps.events.listeners(event), ["portal.pageCache"]);
  });

  it("registers the calendar hooks of publishing and applications on this deps only (never at import)", async () => {
    assert.deepEqual(
      deps.calendarHooks.listeners().map(([, name]) => name),
      ["publishing", "info-requests"],
    );
    // Another Deps in the same process has its own registry: nothing leaks between apps.
    const other = await createTestDeps();
    assert.notEqual(other.calendarHooks, deps.calendarHooks);
    assert.equal(other.calendarHooks.listeners().length, 2);
  });

  it("every feature whose rows name a department registers its check, on this deps only", async () => {
    assert.deepEqual(deps.departmentUses.owners(), ["publishing", "requests", "catalog", "accounts"]);
    const other = await createTestDeps();
    assert.notEqual(other.departmentUses, deps.departmentUses);
    assert.equal(other.departmentUses.owners().length, 4);
  });

  it("an event of one agency drops that agency's and platform pages, not another agency's", () => {
    const entry = (agencyId: string | null) => ({ body: "x", contentType: "text/html", agencyId });
    deps.pageCache.set("a", deps.pageCache.generation, entry("agency-a"));
    deps.pageCache.set("b", deps.pageCache.generation, entry("agency-b"));
    deps.pageCache.set("home", deps.pageCache.generation, entry(null));
    deps.events.emit("guide.updated", { agencyId: "agency-a" });
    assert.equal(deps.pageCache.get("a"), undefined);
    assert.equal(deps.pageCache.get("home"), undefined);
    assert.equal(deps.pageCache.get("b")?.body.toString(), "x");
  });
});
