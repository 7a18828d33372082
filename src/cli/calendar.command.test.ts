// The calendar and deadline commands end to end: `main([...], io, env)` with a captured io, against this file's test
// database (DATABASE_URL in env points openRuntime at it, so the commands read the database overrides like in
// production).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createAgency, createRegion } from "../../test/factories.ts";
import { testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { NOTICE_2027 } from "../calendar/calendar.fixtures.ts";
import { CalendarCache, CalendarHooks } from "../calendar/calendar.service.ts";
import { addOverride } from "../calendar/calendar-admin.service.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import type { CliEnv } from "./command.ts";
import { main } from "./main.ts";

const { db, url } = await createTestDatabase();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-"));
const env: CliEnv = cliEnv(url, dataDir, {
  GONGKAI_SECRET: "cli-test-secret-cli-test-secret-0123456789",
});

async function cli(...argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io, env);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

async function json(...argv: string[]) {
  const r = await cli(...argv);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

describe("gongkai calendar / deadline commands", async () => {
  it("deadline add 2025-09-26 5wd --json gives 2025-10-10 (国庆节、中秋节 skipped, 调休 counted)", async () => {
    const r = await json("deadline", "add", "2025-09-26", "5wd", "--json");
    assert.equal(r.due, "2025-10-10");
    assert.equal(r.provisional, false);
    assert.ok(Array.isArray(r.steps) && r.steps.length >= 3);
    assert.ok(r.steps.some((s: string) => s.includes("国庆节、中秋节")));
  });

  it("deadline add --explain --json returns structured steps", async () => {
    const r = await json("deadline", "add", "2025-09-26", "20wd", "--explain", "--json");
    assert.equal(r.due, "2025-10-30");
    const counted = r.steps.find((s: { kind: string }) => s.kind === "counted");
    assert.deepEqual(
      counted.makeupWorkdays.map((d: { date: string }) => d.date),
      ["2025-09-28", "2025-10-11"],
    );
    assert.equal(counted.holidays[0].name, "国庆节、中秋节");
  });

  it("10d and 1m roll a last day on a rest day forward to the next working day", async () => {
    assert.equal((await json("deadline", "add", "2025-09-26", "10d", "--json")).due, "2025-10-09");
    assert.equal((await json("deadline", "add", "2025-09-01", "1m", "--json")).due, "2025-10-09");
    assert.equal((await json("deadline", "add", "2025-01-31", "1m", "--json")).due, "2025-02-28");
  });

  it("plain output prints the date, and --explain numbered steps", async () => {
    const r = await cli("deadline", "add", "2025-09-26", "5wd", "--explain");
    assert.equal(r.code, 0);
    assert.match(r.out, /^2025-10-10\n/);
    assert.match(r.out, /1\. 起算日：2025年9月26日/);
    assert.match(r.out, /截止日期：2025年10月10日/);
  });

  it("usage errors exit with 2 before opening the database", async () => {
    for (const argv of [
      ["deadline", "add", "2025-02-30", "5wd"],
      ["deadline", "add", "2025-09-26", "5x"],
      ["deadline", "add", "2025-09-26"],
      ["calendar", "show", "twenty"],
    ]) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, /^gongkai: /);
    }
  });

  it("2027-02-04 + 20wd is provisional while 2027 has no data, official once the 2027 notice is entered", async () => {
    // Statutory days only: 2-05 (除夕) to 2-10 rest. The entered notice works 2-05 and 2-20, rests 2-11.
    const before = await json("deadline", "add", "2027-02-04", "20wd", "--json");
    assert.equal(before.due, "2027-03-10");
    assert.equal(before.provisional, true);
    assert.match(before.reasons[0], /2027年放假安排尚未发布/);

    const file = path.join(dataDir, "2027.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        year: 2027,
        notice: { title: NOTICE_2027.title, docNumber: NOTICE_2027.docNumber, date: NOTICE_2027.date },
        holidays: [
          { name: "元旦", restDays: ["2027-01-01", "2027-01-02", "2027-01-03"], workDays: [] },
          {
            name: "春节",
            restDays: ["2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"],
            workDays: ["2027-02-20"],
          },
        ],
      }),
    );
    const imported = await cli("calendar", "import", file);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /已录入 2027年/);

    const afterImport = await json("deadline", "add", "2027-02-04", "20wd", "--json");
    assert.equal(afterImport.due, "2027-03-09");
    assert.equal(afterImport.provisional, false);

    const again = await cli("calendar", "import", file);
    assert.equal(again.code, 1);
    assert.match(again.err, /calendar_override_duplicate/);
  });

  it("calendar show 2026 lists rest and make-up days with names (text and JSON)", async () => {
    const text = await cli("calendar", "show", "2026");
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /2026年工作日历/);
    assert.match(text.out, /2026-01-01 星期四 休 元旦/);
    assert.match(text.out, /班 .*调休上班/);
    const view = await json("calendar", "show", "2026", "--json");
    assert.equal(view.year, 2026);
    assert.equal(view.official, true);
    assert.equal(view.source, "file");
    assert.ok(view.days.some((d: { name?: string; working: boolean }) => d.name === "春节" && !d.working));
    assert.ok(view.days.some((d: { kind: string }) => d.kind === "makeupWorkday"));
    const y2027 = await json("calendar", "show", "2027", "--json");
    assert.equal(y2027.source, "database");
    assert.equal(y2027.notice.docNumber, NOTICE_2027.docNumber);
    const y2029 = await cli("calendar", "show", "2029");
    assert.match(y2029.out, /注意：2029年放假安排尚未发布/);
  });

  it("--agency uses the agency's regional days", async () => {
    const region = await createRegion(db);
    const agency = await createAgency(db, { regionId: region.id });
    await addOverride(
      { db, calendarHooks: new CalendarHooks(), calendarCache: new CalendarCache(), audit: testAudit() },
      { actorId: null, actorName: "测试", ip: null },
      {
        date: "2026-03-18",
        kind: "rest",
        name: "地方节日",
        regionId: region.id,
      },
    );
    const national = await json("deadline", "add", "2026-03-17", "1wd", "--json");
    const local = await json("deadline", "add", "2026-03-17", "1wd", "--json", "--agency", agency.slug);
    assert.equal(national.due, "2026-03-18");
    assert.equal(local.due, "2026-03-19");
    const show = await cli("calendar", "show", "2026", "--agency", agency.slug);
    assert.match(show.out, /2026-03-18 星期三 休 地方节日 {2}\[本地区\]/);
    const missing = await cli("deadline", "add", "2026-03-17", "1wd", "--agency", "no-such-agency");
    assert.equal(missing.code, 1);
    assert.match(missing.err, /agency_not_found/);
  });

  it("calendar ics 2026 prints an iCalendar file", async () => {
    const r = await cli("calendar", "ics", "2026");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^BEGIN:VCALENDAR\r\n/);
    assert.match(r.out, /SUMMARY:春节（休）/);
    assert.match(r.out, /END:VCALENDAR\r\n$/);
  });
});
