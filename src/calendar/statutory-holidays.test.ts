import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { statutoryHolidayDays, statutoryRestDays } from "./statutory-holidays.ts";

describe("statutory holidays of 《全国年节及纪念日放假办法》", () => {
  // Lunar and solar-term dates known independently (published almanacs / the State Council notices of those
  // years; 2027 and 2028 from the Hong Kong Observatory's Gregorian–lunar conversion tables).
  const lunarTable: [number, string, string, string, string, string][] = [
    // year, 除夕, 春节(初一), 清明, 端午, 中秋
    [2024, "2024-02-09", "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"],
    [2025, "2025-01-28", "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"],
    [2026, "2026-02-16", "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"],
    [2027, "2027-02-05", "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"],
    [2028, "2028-01-25", "2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"],
  ];
  for (const [year, eve, spring, qingming, duanwu, zhongqiu] of lunarTable) {
    it(`computes the lunar and solar-term holidays of ${year}`, () => {
      const days = new Map(statutoryHolidayDays(year).map((h) => [h.name, h.dates]));
      const springDays = days.get("春节")!;
      if (year >= 2025) assert.equal(springDays[0], eve);
      assert.equal(springDays[year >= 2025 ? 1 : 0], spring);
      assert.equal(springDays.length, year >= 2025 ? 4 : 3);
      assert.deepEqual(days.get("清明节"), [qingming]);
      assert.deepEqual(days.get("端午节"), [duanwu]);
      assert.deepEqual(days.get("中秋节"), [zhongqiu]);
      assert.deepEqual(days.get("劳动节")?.length, year >= 2025 ? 2 : 1);
      assert.deepEqual(days.get("国庆节"), [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`]);
    });
  }

  it("every statutory and make-up day of 2019–2026 is a rest day in that year's State Council notice", () => {
    const official = buildCalendar({ years: OFFICIAL_YEAR_FILES });
    for (let year = 2019; year <= 2026; year++) {
      const days = statutoryRestDays(year);
      assert.ok(days.length >= 11, `${year}: ${days.length}`);
      for (const d of days) {
        assert.equal(official.isWorkingDay(d.date), false, `${year} ${d.name} ${d.date}`);
      }
    }
  });

  it("makes up a holiday falling on a weekend on the next working day (办法第六条)", () => {
    const y2027 = statutoryRestDays(2027);
    // 除夕 Friday 2-05, 初一/初二 on the weekend, 初三 Monday 2-08: made up on Tuesday and Wednesday.
    assert.deepEqual(
      y2027.filter((d) => d.date >= "2027-02-01" && d.date <= "2027-02-28").map((d) => [d.date, d.name]),
      [
        ["2027-02-05", "春节"],
        ["2027-02-06", "春节"],
        ["2027-02-07", "春节"],
        ["2027-02-08", "春节"],
        ["2027-02-09", "春节（补假）"],
        ["2027-02-10", "春节（补假）"],
      ],
    );
    // 2028: 中秋 falls on 10-03, inside 国庆: one extra day after the break.
    const oct2028 = statutoryRestDays(2028).filter((d) => d.date.startsWith("2028-10"));
    assert.deepEqual(
      oct2028.map((d) => d.date),
      ["2028-10-01", "2028-10-02", "2028-10-03", "2028-10-04", "2028-10-05"],
    );
  });

  it("has nothing before the 2013 revision took effect", () => {
    assert.deepEqual(statutoryRestDays(2013), []);
  });
});

describe("provisional years in the work calendar", () => {
  const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });

  it("does not fall due on 元旦 2027 and marks statutory days as such", () => {
    // 19 working days from 12-07 to 12-31; the 20th was 2027-01-01 under Monday–Friday counting.
    const r = calendar.addWorkingDays("2026-12-04", 20);
    assert.equal(r.date, "2027-01-04");
    assert.equal(calendar.countWorkingDays("2026-12-04", r.date).count, 20);
    assert.equal(r.provisional, true);
    const info = calendar.dayInfo("2027-01-01");
    assert.equal(info.working, false);
    assert.equal(info.kind, "holiday");
    assert.equal(info.source, "statute");
    assert.equal(info.official, false);
    assert.equal(calendar.isWorkingDay("2027-02-09"), false); // 春节（补假）
    assert.equal(calendar.isWorkingDay("2027-02-11"), true);
  });

  it("replaces the statutory days by the notice once it is entered", () => {
    const withNotice = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [{ date: "2027-01-01", kind: "rest", name: "元旦" }],
    });
    assert.equal(withNotice.hasOfficialData(2027), true);
    // The entered notice (here only 元旦) is the whole truth for 2027: 2-09 becomes an ordinary Tuesday.
    assert.equal(withNotice.isWorkingDay("2027-02-09"), true);
    assert.equal(withNotice.dayInfo("2027-01-01").source, "nationalOverride");
  });

  it("lets a regional override win over a statutory day", () => {
    const regional = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      regionId: "r1",
      overrides: [{ date: "2027-02-10", kind: "work", name: "本地调整", scope: { regionId: "r1" } }],
    });
    assert.equal(regional.isWorkingDay("2027-02-10"), true);
    assert.equal(regional.hasOfficialData(2027), false);
  });
});
