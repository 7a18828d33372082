// The statute exactly (issue #16): consultation pause capped at 15 working days, rest-day receipt rule,
// overdue state, the 补正 sentence only while it can still happen, explanations that add up.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { officialCalendar } from "../calendar/index.ts";
import { countDayTypes } from "./day-breakdown.ts";
import { computeDeadlines, correctionRefusal, type DeadlineFacts } from "./deadlines.ts";

const calendar = officialCalendar();

function facts(overrides: Partial<DeadlineFacts>): DeadlineFacts {
  return {
    status: "processing",
    receivedOn: null,
    corrections: [],
    consultations: [],
    extension: null,
    deferral: null,
    fee: null,
    feePausesClock: true,
    concludedOn: null,
    ...overrides,
  };
}

function find(report: ReturnType<typeof computeDeadlines>, kind: string) {
  const d = report.deadlines.find((x) => x.kind === kind);
  assert.ok(d, kind);
  return d;
}

describe("条例第32条: the consultation pause is capped at 15 working days", () => {
  // Received 6/03; 5 working days counted 6/04–6/10; the third party had until 7/01 (6/10 + 15).
  // From 7/01: 7/02–04 3, 7/07–11 8, 7/14–18 13, 7/21 14, 7/22 15 → 2025-07-22.
  it("a late reply excludes only the statutory 15 working days", () => {
    const r = computeDeadlines(
      calendar,
      facts({
        receivedOn: "2025-06-03",
        consultations: [
          { kind: "third_party", party: "某公司", sentOn: "2025-06-10", endedOn: "2025-08-20" },
        ],
      }),
    );
    assert.equal(find(r, "reply").due, "2025-07-22");
    assert.match(find(r, "consultation_reply").warning, /已超过15个工作日/);
    assert.match(find(r, "reply").explanation.join("\n"), /征求意见期限（15个工作日）届满/);
  });

  it("while the third party is late the reply clock runs again, with a warning", () => {
    const r = computeDeadlines(
      calendar,
      facts({
        receivedOn: "2025-06-03",
        status: "consultation",
        consultations: [{ kind: "third_party", party: "某公司", sentOn: "2025-06-10", endedOn: null }],
        today: "2025-07-10",
      }),
    );
    assert.equal(find(r, "reply").due, "2025-07-22");
    assert.equal(find(r, "reply").state, "open");
    const c = find(r, "consultation_reply");
    assert.equal(c.overdue, true);
    assert.match(c.warning, /逾期未提出意见.*自行决定是否公开/);
  });

  it("within the period the clock is paused and the remaining days are shown", () => {
    const r = computeDeadlines(
      calendar,
      facts({
        receivedOn: "2025-06-03",
        status: "consultation",
        consultations: [{ kind: "third_party", party: "某公司", sentOn: "2025-06-10", endedOn: null }],
        today: "2025-06-20",
      }),
    );
    assert.equal(find(r, "reply").due, null);
    assert.equal(find(r, "reply").state, "paused");
    assert.match(find(r, "consultation_reply").explanation.join(""), /距征求意见期限还有7个工作日/);
    assert.equal(find(r, "consultation_reply").warning, "");
  });
});

describe("receipt on a rest day (agency setting)", () => {
  it("counts from the receipt day by default, from the next working day when set", () => {
    // 2025-10-04 is a Saturday inside the 国庆 break. Day 0 = 10/04: 10/09 1, 10/10 2, 10/11 (上班) 3,
    // 10/13–17 8, 20–24 13, 27–31 18, 11/03 19, 11/04 20.
    const asReceived = computeDeadlines(calendar, facts({ receivedOn: "2025-10-04" }));
    assert.equal(find(asReceived, "reply").due, "2025-11-04");
    assert.match(find(asReceived, "reply").explanation.join(""), /以收到之日为第0日/);
    // Day 0 = 10/09: 10/10 1, 10/11 2, 13–17 7, 20–24 12, 27–31 17, 11/03–05 20.
    const next = computeDeadlines(
      calendar,
      facts({ receivedOn: "2025-10-04", restDayReceipt: "next_working_day" }),
    );
    assert.equal(find(next, "reply").due, "2025-11-05");
    assert.match(find(next, "reply").explanation.join(""), /（休息日）收到申请.*2025年10月9日/);
  });
});

describe("overdue and the applicant's sentences", () => {
  it("says 已逾期 and stops promising a date once it has passed", () => {
    const before = computeDeadlines(calendar, facts({ receivedOn: "2025-09-26", today: "2025-10-30" }));
    assert.equal(before.overdue, false);
    assert.match(find(before, "reply").plain, /本机关将在2025年10月30日前答复/);
    const after = computeDeadlines(calendar, facts({ receivedOn: "2025-09-26", today: "2025-10-31" }));
    assert.equal(after.overdue, true);
    assert.equal(find(after, "reply").overdue, true);
    assert.doesNotMatch(find(after, "reply").plain, /将在/);
    assert.match(find(after, "reply").plain, /已逾期/);
  });

  it("drops the 补正 sentence after the 7-working-day window and after later steps", () => {
    // Window: 2025-10-13 (7 working days from 9/26).
    const inWindow = computeDeadlines(calendar, facts({ receivedOn: "2025-09-26", today: "2025-10-13" }));
    assert.match(find(inWindow, "correction_notice").plain, /一次性告知/);
    const late = computeDeadlines(calendar, facts({ receivedOn: "2025-09-26", today: "2025-10-14" }));
    assert.equal(find(late, "correction_notice").plain, "");
    const consulting = computeDeadlines(
      calendar,
      facts({
        receivedOn: "2025-09-26",
        today: "2025-10-09",
        consultations: [{ kind: "third_party", party: "某公司", sentOn: "2025-10-09", endedOn: null }],
      }),
    );
    assert.equal(find(consulting, "correction_notice").plain, "");
  });
});

describe("explanations add up", () => {
  it("lists the weekdays and 调休 working days counted and the weekends and holidays skipped", () => {
    const r = computeDeadlines(calendar, facts({ receivedOn: "2025-09-26" }));
    const text = find(r, "reply").explanation.join("\n");
    assert.match(
      text,
      /共20个工作日：周一至周五工作日18天、调休上班日2天（2025年9月28日、2025年10月11日）；跳过周末6天、国庆节、中秋节假期8天（2025年10月1日至2025年10月8日）/,
    );
    // Property: for many stretches, counted day types = working days and all day types = calendar days.
    for (let i = 0; i < 200; i++) {
      const from = `2025-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + ((i * 7) % 28)).padStart(2, "0")}`;
      const to = calendar.addWorkingDays(from, 1 + (i % 40)).date;
      const c = countDayTypes(calendar, from, to);
      assert.equal(c.weekdays + c.makeupWorkdays.length, calendar.countWorkingDays(from, to).count);
    }
  });
});

describe("条例第30条: one 补正", () => {
  it("refuses a second correction request and offers the outcome for a still-unclear application", () => {
    assert.equal(correctionRefusal([]), null);
    const msg = correctionRefusal([{ noticeOn: "2025-10-09" }]);
    assert.match(msg ?? "", /一次性告知/);
    assert.match(msg ?? "", /2025年10月9日/);
    assert.match(msg ?? "", /补正后申请内容仍不明确/);
  });
});
