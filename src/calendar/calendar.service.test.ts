import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency, createRegion } from "../../test/factories.ts";
import { testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { AppError } from "../errors.ts";
import { NOTICE_2027 } from "./calendar.fixtures.ts";
import {
  CalendarCache,
  type CalendarChange,
  CalendarHooks,
  getCalendarForAgency,
  getCalendarForRegion,
  getNationalCalendar,
  getNationalYear,
  mapDeadlineError,
} from "./calendar.service.ts";
import {
  addNotice,
  addOverride,
  deleteNotice,
  deleteOverride,
  SYSTEM_ACTOR,
} from "./calendar-admin.service.ts";
import { ClockError } from "./reply-clock.ts";

const actor = { actorId: null, actorName: "测试管理员", ip: "127.0.0.1" };

describe("calendar service", async () => {
  const { db } = await createTestDatabase();
  const province = await createRegion(db, { name: "测试省", level: "province" });
  const city = await createRegion(db, { name: "测试市", level: "city", parentId: province.id });
  const county = await createRegion(db, { name: "测试县", level: "county", parentId: city.id });
  const otherCounty = await createRegion(db, { name: "其他县", level: "county", parentId: city.id });
  const countyAgency = await createAgency(db, { regionId: county.id });
  const otherAgency = await createAgency(db, { regionId: otherCounty.id });
  const elsewhere = await createAgency(db);

  const changes: CalendarChange[] = [];
  let recomputeCount = 0;
  let failNext = false;
  // This file's own hooks (no feature registered): the test listener is the only one.
  const calendarCache = new CalendarCache();
  const reader = { db, calendarCache };
  const changer = { db, calendarHooks: new CalendarHooks(), calendarCache, audit: testAudit() };
  const unsubscribe = changer.calendarHooks.onChanged(async function testListener(change) {
    if (failNext) {
      failNext = false;
      throw new Error("listener failed");
    }
    // The listener runs inside the change's transaction and already sees the new calendar.
    const calendar = await getNationalCalendar(change);
    changes.push({ ...change, summary: `${change.summary}|2027 official=${calendar.hasOfficialData(2027)}` });
    return recomputeCount;
  });
  after(unsubscribe);

  it("the national calendar is the official data: 2025-09-26 + 5 working days = 2025-10-10", async () => {
    const calendar = await getNationalCalendar(reader);
    assert.equal(calendar.addWorkingDays("2025-09-26", 5).date, "2025-10-10");
    assert.equal(calendar.hasOfficialData(2026), true);
    assert.equal(calendar.hasOfficialData(2027), false);
  });

  it("an agency's calendar includes its region's and ancestor regions' days, not other regions'", async () => {
    // 2026-03-18 is a Wednesday.
    await addOverride(changer, actor, {
      date: "2026-03-18",
      kind: "rest",
      name: "三月三",
      regionId: city.id,
    });
    await addOverride(changer, actor, {
      date: "2026-03-19",
      kind: "rest",
      name: "县庆",
      regionId: county.id,
    });
    const mine = await getCalendarForAgency(reader, countyAgency.id);
    const sibling = await getCalendarForAgency(reader, otherAgency.id);
    const far = await getCalendarForAgency(reader, elsewhere.id);
    const national = await getNationalCalendar(reader);
    assert.equal(mine.isWorkingDay("2026-03-18"), false, "city day applies to the county agency");
    assert.equal(mine.isWorkingDay("2026-03-19"), false, "county day applies");
    assert.deepEqual(
      { name: mine.dayInfo("2026-03-19").name, source: mine.dayInfo("2026-03-19").source },
      { name: "县庆", source: "regionalOverride" },
    );
    assert.equal(sibling.isWorkingDay("2026-03-18"), false, "city day applies to the sibling county");
    assert.equal(sibling.isWorkingDay("2026-03-19"), true, "county day does not apply to the sibling county");
    assert.equal(far.isWorkingDay("2026-03-18"), true);
    assert.equal(national.isWorkingDay("2026-03-18"), true);
    assert.equal(mine.addWorkingDays("2026-03-17", 1).date, "2026-03-20");
    assert.equal((await getCalendarForRegion(reader, county.id)).isWorkingDay("2026-03-19"), false);
    await assert.rejects(getCalendarForAgency(reader, "00000000-0000-0000-0000-000000000000"), {
      code: "agency_not_found",
    });
  });

  it("a regional change tells listeners which agencies are affected and is audited", async () => {
    changes.length = 0;
    recomputeCount = 3;
    const result = await addOverride(changer, actor, {
      date: "2026-04-08",
      kind: "rest",
      name: "地方节日",
      category: "holiday",
      regionId: city.id,
    });
    recomputeCount = 0;
    assert.deepEqual(result.recomputed, [{ listener: "testListener", count: 3 }]);
    assert.equal(changes.length, 1);
    const change = changes[0]!;
    assert.deepEqual(change.years, [2026]);
    assert.equal(change.regionId, city.id);
    assert.deepEqual(new Set(change.agencyIds), new Set([countyAgency.id, otherAgency.id]));
    const audit = await listAuditEvents(db, { action: "calendar." });
    const actions = audit.map((e) => e.action);
    assert.ok(actions.includes("calendar.override.add"));
    const recompute = audit.find((e) => e.action === "calendar.recompute");
    assert.ok(recompute);
    assert.match(recompute.summary, /重新计算截止日期3项/);
    assert.equal(recompute.actorName, "测试管理员");
  });

  it("a listener that fails rolls the change back", async () => {
    failNext = true;
    await assert.rejects(
      addOverride(changer, actor, { date: "2026-05-06", kind: "rest", name: "临时", category: "closure" }),
      /listener failed/,
    );
    assert.equal((await getNationalCalendar(reader)).isWorkingDay("2026-05-06"), true);
  });

  it("entering the 2027 notice turns provisional 2027 dates official and notifies listeners", async () => {
    // 2-11 and 2-12 are working days under the statute alone (补假 ends 2-10); the notice makes them rest days.
    const before = (await getNationalCalendar(reader)).addWorkingDays("2027-02-10", 20);
    assert.deepEqual([before.date, before.provisional], ["2027-03-10", true]);
    changes.length = 0;
    const result = await addNotice(changer, actor, NOTICE_2027);
    assert.equal(result.value.days.length, 3 + 8 + 1);
    const after2027 = (await getNationalCalendar(reader)).addWorkingDays("2027-02-10", 20);
    assert.deepEqual([after2027.date, after2027.provisional], ["2027-03-11", false]);
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.regionId, null);
    assert.equal(changes[0]!.agencyIds, null);
    assert.deepEqual(changes[0]!.years, [2027]);
    assert.match(
      changes[0]!.summary,
      /2027 official=true/,
      "listener sees the new data inside the transaction",
    );
    const view = await getNationalYear(reader, 2027);
    assert.equal(view.official, true);
    assert.equal(view.source, "database");
    assert.equal(view.notice?.docNumber, "国办发明电〔2026〕99号");
    assert.equal(view.days.find((d) => d.date === "2027-02-20")?.kind, "makeupWorkday");
  });

  it("rejects a second notice for the same year and a notice for a bundled year", async () => {
    await assert.rejects(addNotice(changer, actor, NOTICE_2027), { code: "calendar_override_duplicate" });
    await assert.rejects(addNotice(changer, actor, { ...NOTICE_2027, year: 2026 }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "calendar_override_invalid");
      assert.ok(e.fields.some((f) => f.field === "year"));
      return true;
    });
  });

  it("validates overrides field by field", async () => {
    const cases: [Parameters<typeof addOverride>[2], string, string][] = [
      [{ date: "2026-13-01", kind: "rest", name: "x" }, "calendar_override_invalid", "date"],
      [{ date: "2026-03-24", kind: "holiday", name: "x" }, "calendar_override_invalid", "kind"],
      [{ date: "2026-03-24", kind: "rest", name: "" }, "calendar_override_invalid", "name"],
      // 2026-03-24 is a Tuesday: a make-up working day must be a weekend day.
      [{ date: "2026-03-24", kind: "work", name: "x" }, "calendar_override_invalid", "kind"],
      // A national closure in a year without data would silently make 2028 official.
      [
        { date: "2028-03-01", kind: "rest", name: "x", category: "closure" },
        "calendar_override_invalid",
        "date",
      ],
      [
        { date: "2026-03-18", kind: "rest", name: "again", regionId: city.id },
        "calendar_override_duplicate",
        "date",
      ],
      [{ date: "2026-10-01", kind: "rest", name: "again" }, "calendar_override_invalid", "date"],
      [
        { date: "2026-02-02", kind: "rest", name: "x", category: "notice" },
        "calendar_override_invalid",
        "category",
      ],
    ];
    for (const [input, code, field] of cases) {
      await assert.rejects(addOverride(changer, actor, input), (e: unknown) => {
        assert.ok(e instanceof AppError, String(e));
        assert.equal(e.code, code, JSON.stringify(input));
        assert.ok(
          e.fields.some((f) => f.field === field),
          `${JSON.stringify(input)} → ${JSON.stringify(e.fields)}`,
        );
        return true;
      });
    }
    await assert.rejects(
      addOverride(changer, actor, { date: "2026-03-25", kind: "rest", name: "x", regionId: "nope" }),
      { code: "region_not_found" },
    );
    // Regional days in a year without national data are fine (they do not make the year official).
    const regional = await addOverride(changer, actor, {
      date: "2028-03-01",
      kind: "rest",
      name: "x",
      regionId: county.id,
    });
    assert.equal((await getCalendarForAgency(reader, countyAgency.id)).hasOfficialData(2028), false);
    await deleteOverride(changer, SYSTEM_ACTOR, regional.value.id);
  });

  it("adds a day to an entered notice and deletes it again", async () => {
    const added = await addOverride(changer, actor, {
      date: "2027-02-14",
      kind: "work",
      name: "春节",
      category: "notice",
    });
    assert.equal(added.value.noticeYear, 2027);
    assert.equal((await getNationalCalendar(reader)).isWorkingDay("2027-02-14"), true);
    await deleteOverride(changer, actor, added.value.id);
    assert.equal((await getNationalCalendar(reader)).isWorkingDay("2027-02-14"), false);
    await assert.rejects(deleteOverride(changer, actor, added.value.id), {
      code: "calendar_override_not_found",
    });
    await assert.rejects(deleteOverride(changer, actor, "not-a-uuid"), {
      code: "calendar_override_not_found",
    });
  });

  it("deleting the notice makes 2027 provisional again", async () => {
    await deleteNotice(changer, actor, 2027);
    const r = (await getNationalCalendar(reader)).addWorkingDays("2027-02-10", 20);
    assert.deepEqual([r.date, r.provisional], ["2027-03-10", true]);
    await assert.rejects(deleteNotice(changer, actor, 2027), { code: "calendar_notice_not_found" });
    const audit = await listAuditEvents(db, { action: "calendar.notice" });
    assert.deepEqual(
      audit.map((e) => e.action),
      ["calendar.notice.delete", "calendar.notice.add"],
    );
  });

  it("caches calendars per data version and sees changes made by another process", async () => {
    const a = await getCalendarForAgency(reader, countyAgency.id);
    assert.equal(
      await getCalendarForAgency(reader, countyAgency.id),
      a,
      "same instance while the data is unchanged",
    );
    assert.equal(await getNationalCalendar(reader), await getNationalCalendar(reader));
    // Another server process writes directly and bumps the version: this process's cache must not hide it.
    await db
      .insertInto("calendar_overrides")
      .values({
        region_id: null,
        notice_id: null,
        day: "2026-06-03",
        kind: "rest",
        category: "closure",
        name: "外部",
      })
      .execute();
    await sql`UPDATE calendar_state SET version = gen_random_uuid()`.execute(db);
    const b = await getCalendarForAgency(reader, countyAgency.id);
    assert.notEqual(b, a);
    assert.equal(b.isWorkingDay("2026-06-03"), false);
  });

  it("keeps at most maxSnapshots versions, dropping the least recently used", () => {
    const cache = new CalendarCache(2);
    const snapshot = (version: string) =>
      Promise.resolve({ version, rows: [], notices: [], calendars: new Map() });
    cache.set("v1", snapshot("v1"));
    cache.set("v2", snapshot("v2"));
    assert.ok(cache.get("v1"), "v1 is now the most recently used");
    cache.set("v3", snapshot("v3"));
    assert.deepEqual(cache.versions(), ["v1", "v3"]);
    assert.equal(cache.get("v2"), undefined);
    cache.clear();
    assert.deepEqual(cache.versions(), []);
  });

  it("the cache belongs to its Deps: another cache builds its own calendars", async () => {
    const mine = await getNationalCalendar(reader);
    const other = { db, calendarCache: new CalendarCache() };
    assert.deepEqual(other.calendarCache.versions(), []);
    const theirs = await getNationalCalendar(other);
    assert.notEqual(theirs, mine, "not shared through the module");
    assert.equal(await getNationalCalendar(other), theirs);
    assert.deepEqual(other.calendarCache.versions(), reader.calendarCache.versions().slice(-1));
  });

  it("maps engine errors to AppErrors", () => {
    const clock = mapDeadlineError(new ClockError("clock_second_extension", "答复期限只能延长一次"));
    assert.ok(clock instanceof AppError);
    assert.equal(clock.code, "deadline_invalid");
    assert.equal(clock.status, 409);
    assert.equal(clock.message, "答复期限只能延长一次");
    assert.deepEqual(clock.details, { clockCode: "clock_second_extension" });
    const range = mapDeadlineError(new RangeError("日期不存在：2026-02-30"));
    assert.ok(range instanceof AppError);
    assert.equal(range.code, "deadline_expression_invalid");
    const other = new Error("x");
    assert.equal(mapDeadlineError(other), other);
  });
});
