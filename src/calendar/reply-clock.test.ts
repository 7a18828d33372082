import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import {
  ClockError,
  type ClockEvent,
  computeClock,
  consultationReplyDue,
  correctionNoticeDue,
  renderClockForApplicant,
  renderClockForStaff,
} from "./reply-clock.ts";

const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });

function clock(events: ClockEvent[], baseWorkingDays?: number) {
  return computeClock(calendar, baseWorkingDays === undefined ? { events } : { baseWorkingDays, events });
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClockError) return e.code;
    throw e;
  }
  return "no error";
}

describe("computeClock (条例第30–35条)", () => {
  it("条例第33条: 20 working days from receipt, holidays skipped by name", () => {
    const r = clock([{ type: "start", date: "2025-09-26" }]);
    assert.equal(r.due, "2025-10-30");
    assert.equal(r.status, "running");
    assert.equal(r.provisional, false);
    assert.deepEqual([r.totalWorkingDays, r.usedWorkingDays, r.remainingWorkingDays], [20, 0, 20]);
    assert.deepEqual(r.explanation, [
      {
        kind: "start",
        date: "2025-09-26",
        baseWorkingDays: 20,
        article: "《政府信息公开条例》第三十一条、第三十三条",
      },
      {
        kind: "counted",
        from: "2025-09-26",
        to: "2025-10-30",
        workingDays: 20,
        holidays: [
          {
            name: "国庆节、中秋节",
            dates: [
              "2025-10-01",
              "2025-10-02",
              "2025-10-03",
              "2025-10-04",
              "2025-10-05",
              "2025-10-06",
              "2025-10-07",
              "2025-10-08",
            ],
          },
        ],
      },
      { kind: "due", date: "2025-10-30", provisional: false },
    ]);
  });

  it("条例第30条: a 补正 restarts the period from receipt of the correction", () => {
    const r = clock([
      { type: "start", date: "2025-09-01" },
      { type: "restart", date: "2025-09-26" },
    ]);
    assert.equal(r.due, "2025-10-30");
    const discarded = r.explanation.find((s) => s.kind === "counted" && s.discarded === true);
    assert.deepEqual(discarded && discarded.kind === "counted" ? discarded.workingDays : null, 19);
  });

  it("条例第32、34条: consultation time is not counted; counting resumes after the reply", () => {
    const events: ClockEvent[] = [
      { type: "start", date: "2025-03-03" },
      { type: "pause", date: "2025-03-07", reason: "thirdParty", note: "征求某公司意见" },
      { type: "resume", date: "2025-03-28" },
    ];
    const r = clock(events);
    // 4 working days used (3-4..3-7); 15 excluded (3-10..3-28); 16 left from 3-28, 清明节 4-4..4-6 skipped.
    assert.equal(r.due, "2025-04-22");
    assert.deepEqual([r.usedWorkingDays, r.remainingWorkingDays], [4, 16]);
    const resume = r.explanation.find((s) => s.kind === "resume");
    assert.deepEqual(resume, {
      kind: "resume",
      date: "2025-03-28",
      pausedFrom: "2025-03-07",
      excludedWorkingDays: 15,
    });
    // Same result as 20 + 15 working days straight from receipt.
    assert.equal(calendar.addWorkingDays("2025-03-03", 35).date, "2025-04-22");
  });

  it("reports a pending consultation as paused, without a due date", () => {
    const r = clock([
      { type: "start", date: "2025-03-03" },
      { type: "pause", date: "2025-03-07", reason: "otherOrgan" },
    ]);
    assert.equal(r.due, null);
    assert.equal(r.status, "paused");
    assert.deepEqual(r.explanation.at(-1), { kind: "paused", since: "2025-03-07", remainingWorkingDays: 16 });
  });

  it("条例第33条: one extension of up to 20 working days with approver", () => {
    const r = clock([
      { type: "start", date: "2025-09-26" },
      {
        type: "extension",
        date: "2025-10-20",
        days: 20,
        approvedBy: "局办公室主任",
        notifiedOn: "2025-10-21",
      },
    ]);
    assert.equal(r.due, "2025-11-27");
    assert.equal(r.totalWorkingDays, 40);
    assert.deepEqual(r.explanation[1], {
      kind: "extension",
      date: "2025-10-20",
      days: 20,
      approvedBy: "局办公室主任",
      notifiedOn: "2025-10-21",
      totalWorkingDays: 40,
      article: "《政府信息公开条例》第三十三条",
    });
  });

  it("rejects extensions the 条例 does not allow", () => {
    const start: ClockEvent = { type: "start", date: "2025-09-26" };
    const ext = (days: number, date = "2025-10-20"): ClockEvent => ({
      type: "extension",
      date,
      days,
      approvedBy: "主任",
    });
    assert.equal(
      code(() => clock([start, ext(21)])),
      "clock_extension_too_long",
    );
    assert.equal(
      code(() => clock([start, ext(0)])),
      "clock_extension_too_long",
    );
    assert.equal(
      code(() => clock([start, ext(10), ext(5, "2025-10-22")])),
      "clock_second_extension",
    );
    assert.equal(
      code(() => clock([start, ext(10, "2025-10-31")])),
      "clock_expired",
    );
    assert.equal(
      code(() => clock([start, { type: "extension", date: "2025-10-20", days: 10, approvedBy: " " }])),
      "clock_extension_unapproved",
    );
    assert.equal(
      code(() =>
        clock([
          start,
          { type: "extension", date: "2025-10-20", days: 10, approvedBy: "主任", notifiedOn: "2025-10-19" },
        ]),
      ),
      "clock_events_out_of_order",
    );
    // On the due date itself an extension is still in time.
    assert.equal(clock([start, ext(5, "2025-10-30")]).due, "2025-11-06");
  });

  it("条例第35条: a deferral sets the deadline and freezes the clock", () => {
    const r = clock([
      { type: "start", date: "2025-03-03" },
      { type: "deferral", date: "2025-03-20", due: "2025-05-30", note: "申请数量明显超过合理范围" },
    ]);
    assert.equal(r.due, "2025-05-30");
    assert.equal(r.status, "deferred");
    assert.equal(
      code(() =>
        clock([
          { type: "start", date: "2025-03-03" },
          { type: "deferral", date: "2025-03-20", due: "2025-05-30" },
          { type: "extension", date: "2025-03-21", days: 5, approvedBy: "主任" },
        ]),
      ),
      "clock_deferred",
    );
  });

  it("rejects impossible event sequences", () => {
    const start: ClockEvent = { type: "start", date: "2025-03-03" };
    assert.equal(
      code(() => clock([])),
      "clock_not_started",
    );
    assert.equal(
      code(() => clock([{ type: "pause", date: "2025-03-05", reason: "thirdParty" }])),
      "clock_not_started",
    );
    assert.equal(
      code(() => clock([start, start])),
      "clock_already_started",
    );
    assert.equal(
      code(() => clock([start, { type: "resume", date: "2025-03-05" }])),
      "clock_not_paused",
    );
    assert.equal(
      code(() =>
        clock([
          start,
          { type: "pause", date: "2025-03-05", reason: "thirdParty" },
          { type: "pause", date: "2025-03-06", reason: "otherOrgan" },
        ]),
      ),
      "clock_paused",
    );
    assert.equal(
      code(() => clock([start, { type: "pause", date: "2025-03-01", reason: "thirdParty" }])),
      "clock_events_out_of_order",
    );
    assert.equal(
      code(() => clock([start, { type: "pause", date: "2025-04-01", reason: "thirdParty" }])),
      "clock_expired",
    );
    assert.equal(
      code(() => clock([start], 0)),
      "clock_invalid_base",
    );
    assert.throws(() => clock([{ type: "start", date: "2025-02-30" }]), RangeError);
  });

  it("is provisional while 2027 has no data and official once it has", () => {
    const r = clock([{ type: "start", date: "2026-12-15" }]);
    assert.equal(r.due, "2027-01-13"); // statutory 元旦 already a rest day
    assert.equal(r.provisional, true);
    assert.match(r.reasons[0]!, /^2027年放假安排尚未发布/);
    const with2027 = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [{ date: "2027-01-01", kind: "rest", name: "元旦" }],
    });
    const o = computeClock(with2027, { events: [{ type: "start", date: "2026-12-15" }] });
    assert.deepEqual([o.due, o.provisional, o.reasons], ["2027-01-13", false, []]);
  });

  it("supports another base period (e.g. 条例第30条 7 working days)", () => {
    assert.equal(clock([{ type: "start", date: "2025-04-30" }], 7).due, "2025-05-14");
  });
});

describe("statutory helper periods", () => {
  it("条例第30条 补正 notice within 7 working days; 条例第32条 reply within 15 working days", () => {
    assert.equal(correctionNoticeDue(calendar, "2025-04-30").date, "2025-05-14");
    assert.equal(consultationReplyDue(calendar, "2025-12-20").date, "2026-01-12");
  });
});

describe("clock explanations", () => {
  const result = clock([
    { type: "start", date: "2025-09-01" },
    { type: "restart", date: "2025-09-10" },
    { type: "pause", date: "2025-09-12", reason: "thirdParty" },
    { type: "resume", date: "2025-09-26" },
    { type: "extension", date: "2025-10-27", days: 10, approvedBy: "局办公室主任", notifiedOn: "2025-10-27" },
  ]);

  it("computes the combined case", () => {
    // Restart 9-10; 2 used (9-11, 9-12); paused to 9-26; 18 + 10 left from 9-26.
    assert.equal(result.usedWorkingDays, 2);
    assert.equal(result.due, calendar.addWorkingDays("2025-09-26", 28).date);
    assert.equal(result.due, "2025-11-11");
  });

  it("renders plain Chinese for the applicant", () => {
    assert.equal(
      renderClockForApplicant(result),
      "您的政府信息公开申请于2025年9月1日收到。根据《中华人民共和国政府信息公开条例》第三十三条，本机关应当自收到申请之日起20个工作日内答复（收到申请的当日不计入；法定节假日和休息日不计入，调休上班日计入）。" +
        "本机关于2025年9月10日收到您补正后的申请，答复期限自该日起重新计算（条例第三十条）。" +
        "2025年9月12日至2025年9月26日期间本机关依法征求意见，所需时间不计入答复期限（条例第三十三条）。" +
        "经政府信息公开工作机构负责人同意，答复期限延长10个工作日（条例第三十三条）。" +
        "答复期限为2025年11月11日（期间国庆节、中秋节假期不计入）。",
    );
  });

  it("renders every step for staff", () => {
    const text = renderClockForStaff(result);
    const lines = text.split("\n");
    assert.equal(lines.length, 9);
    assert.match(lines[0]!, /^1\. 收到申请：2025年9月1日（第0日，不计入）/);
    assert.match(lines[1]!, /补正前已计（作废）：2025年9月1日次日至2025年9月10日，共7个工作日/);
    assert.match(lines[2]!, /收到补正申请：2025年9月10日.*第三十条/);
    assert.match(lines[4]!, /征求第三方意见：2025年9月12日起暂停计时.*第三十二条/);
    assert.match(lines[5]!, /共10个工作日不计入/);
    assert.match(lines[6]!, /延期：2025年10月27日经局办公室主任同意延长10个工作日，2025年10月27日告知申请人/);
    assert.match(lines[7]!, /跳过休息日：国庆节、中秋节8天（2025-10-01至2025-10-08）/);
    assert.equal(lines[8], "9. 答复截止日：2025年11月11日。");
  });

  it("mentions provisional dates and pending consultations", () => {
    const p = clock([{ type: "start", date: "2026-12-15" }]);
    assert.match(renderClockForApplicant(p), /为暂定日期/);
    assert.match(renderClockForStaff(p), /注：2027年放假安排尚未发布/);
    const paused = clock([
      { type: "start", date: "2025-03-03" },
      { type: "pause", date: "2025-03-07", reason: "otherOrgan" },
    ]);
    assert.match(
      renderClockForApplicant(paused),
      /自2025年3月7日起答复期限暂停计算，恢复计算后尚余16个工作日/,
    );
    assert.doesNotMatch(renderClockForApplicant(paused), /答复期限为/);
  });
});
