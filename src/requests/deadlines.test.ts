import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClockError, officialCalendar } from "../calendar/index.ts";
import { computeDeadlines, type DeadlineFacts, FEE_PAUSE_NOTE, urgency } from "./deadlines.ts";

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
    feePausesClock: false,
    concludedOn: null,
    ...overrides,
  };
}

function due(report: ReturnType<typeof computeDeadlines>, kind: string): string | null | undefined {
  return report.deadlines.find((d) => d.kind === kind)?.due;
}

// Every expected date below was counted by hand on the 2025/2026 State Council holiday notices
// (国办发明电〔2024〕12号, 国办发明电〔2025〕7号).
describe("deadlines: hand-computed dates over holidays", () => {
  const cases: { name: string; facts: Partial<DeadlineFacts>; kind: string; expected: string | null }[] = [
    {
      // 9/28 (Sun, 调休上班) 1, 9/29 2, 9/30 3, 10/1–8 国庆中秋, 10/9 4, 10/10 5, 10/11 (Sat, 上班) 6, 10/13 7 … 10/30 20
      name: "20 working days over 国庆/中秋 2025",
      facts: { receivedOn: "2025-09-26" },
      kind: "reply",
      expected: "2025-10-30",
    },
    {
      name: "7-working-day correction notice window over 国庆 2025",
      facts: { receivedOn: "2025-09-26" },
      kind: "correction_notice",
      expected: "2025-10-13",
    },
    {
      // restart on 3/14: 3/17–21 5, 3/24–28 10, 3/31–4/3 14, 4/4 清明, 4/7–11 19, 4/14 20
      name: "correction received restarts the clock (清明 2025)",
      facts: {
        receivedOn: "2025-03-03",
        corrections: [
          { round: 1, noticeOn: "2025-03-05", dueOn: "2025-03-19", receivedOn: "2025-03-14", lapsedOn: null },
        ],
      },
      kind: "reply",
      expected: "2025-04-14",
    },
    {
      // 5 days before the pause (6/4–6/10), consultation 6/10–6/20 not counted, 15 more from 6/20 → 7/11
      name: "third-party consultation is not counted",
      facts: {
        receivedOn: "2025-06-03",
        consultations: [
          { kind: "third_party", party: "某公司", sentOn: "2025-06-10", endedOn: "2025-06-20" },
        ],
      },
      kind: "reply",
      expected: "2025-07-11",
    },
    {
      // 6/10 + 15: 6/11–13 3, 6/16–20 8, 6/23–27 13, 6/30 14, 7/1 15
      name: "15 working days for the consulted party",
      facts: {
        receivedOn: "2025-06-03",
        consultations: [{ kind: "other_organ", party: "某机关", sentOn: "2025-06-10", endedOn: null }],
      },
      kind: "consultation_reply",
      expected: "2025-07-01",
    },
    {
      name: "reply clock paused while a consultation is open",
      facts: {
        receivedOn: "2025-06-03",
        consultations: [{ kind: "other_organ", party: "某机关", sentOn: "2025-06-10", endedOn: null }],
      },
      kind: "reply",
      expected: null,
    },
    {
      // 4/28 + 20 over 劳动节 (5/1–5/5) → 5/29; + 20: 5/30, (5/31–6/2 端午), 6/3 … 6/27
      name: "extension by 20 working days over 端午 2025",
      facts: {
        receivedOn: "2025-04-28",
        extension: { approvedOn: "2025-05-20", days: 20, approvedBy: "王主任", notifiedOn: "2025-05-20" },
      },
      kind: "reply",
      expected: "2025-06-27",
    },
    {
      // 12/29 1, 12/30 2, 12/31 3, 1/1–3 元旦, 1/4 (Sun, 上班) 4, 1/5–9 9, 1/12–16 14, 1/19–23 19, 1/26 20
      name: "payment: 20 working days from the day after service, across 元旦 2026",
      facts: { receivedOn: "2025-12-10", fee: { servedOn: "2025-12-26", paidOn: null } },
      kind: "payment",
      expected: "2026-01-26",
    },
    {
      name: "Art. 35 deferral replaces the date",
      facts: { receivedOn: "2025-03-03", deferral: { decidedOn: "2025-03-10", dueOn: "2025-05-30" } },
      kind: "reply",
      expected: "2025-05-30",
    },
    {
      name: "pending correction suspends the reply clock",
      facts: {
        receivedOn: "2025-03-03",
        corrections: [
          { round: 1, noticeOn: "2025-03-05", dueOn: "2025-03-19", receivedOn: null, lapsedOn: null },
        ],
      },
      kind: "reply",
      expected: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(due(computeDeadlines(calendar, facts(c.facts)), c.kind), c.expected);
    });
  }

  it("fee period stops the reply clock only when the agency says so", () => {
    // received 2025-11-03 → due 2025-12-01 (11/4–7 4, 11/10–14 9, 17–21 14, 24–28 19, 12/1 20)
    const base = { receivedOn: "2025-11-03", fee: { servedOn: "2025-11-10", paidOn: "2025-11-14" } };
    assert.equal(due(computeDeadlines(calendar, facts(base)), "reply"), "2025-12-01");
    // paused (11/10, 11/14] = 4 working days → 12/5
    const paused = computeDeadlines(calendar, facts({ ...base, feePausesClock: true }));
    assert.equal(due(paused, "reply"), "2025-12-05");
    const text = paused.deadlines.find((d) => d.kind === "reply")?.explanation.join("\n") ?? "";
    assert.match(text, new RegExp(FEE_PAUSE_NOTE));
    assert.match(text, /申请人缴费/);
  });

  it("keeps the original reply date next to the extended one and explains the holidays", () => {
    const r = computeDeadlines(
      calendar,
      facts({
        receivedOn: "2025-04-28",
        extension: { approvedOn: "2025-05-20", days: 20, approvedBy: "王主任", notifiedOn: null },
      }),
    );
    assert.equal(r.originalReplyDue, "2025-05-29");
    const text = r.deadlines.find((d) => d.kind === "reply")?.explanation.join("\n") ?? "";
    assert.match(text, /劳动节假期5天/);
    assert.match(text, /原答复期限2025年5月29日/);
  });

  it("a second extension or one approved after expiry is refused by the clock engine", () => {
    assert.throws(
      () =>
        computeDeadlines(
          calendar,
          facts({
            receivedOn: "2025-04-28",
            extension: { approvedOn: "2025-06-03", days: 10, approvedBy: "王主任", notifiedOn: null },
          }),
        ),
      ClockError,
    );
    assert.throws(
      () =>
        computeDeadlines(
          calendar,
          facts({
            receivedOn: "2025-04-28",
            extension: { approvedOn: "2025-05-20", days: 21, approvedBy: "王主任", notifiedOn: null },
          }),
        ),
      ClockError,
    );
  });

  it("states met / missed and picks the next due date", () => {
    const late = computeDeadlines(
      calendar,
      facts({ receivedOn: "2025-09-26", concludedOn: "2025-10-31", status: "concluded" }),
    );
    assert.equal(late.deadlines.find((d) => d.kind === "reply")?.state, "missed");
    assert.equal(late.next, null);
    const open = computeDeadlines(
      calendar,
      facts({
        receivedOn: "2025-12-10",
        fee: { servedOn: "2025-12-26", paidOn: null },
        status: "fee_pending",
      }),
    );
    // reply 2025-12-10 + 20 = 2026-01-08 (12/11–12 2, 15–19 7, 22–26 12, 29–31 15, 1/4 16, 1/5–8 20); payment 2026-01-26
    assert.deepEqual(open.next, { kind: "reply", due: "2026-01-08" });
  });

  it("urgency: overdue after the day, due soon within 3 working days", () => {
    assert.equal(urgency(calendar, "2025-10-30", "2025-10-31"), "overdue");
    assert.equal(urgency(calendar, "2025-10-30", "2025-10-27"), "due_soon");
    assert.equal(urgency(calendar, "2025-10-30", "2025-10-30"), "due_soon");
    assert.equal(urgency(calendar, "2025-10-30", "2025-10-20"), "ok");
    // A due date stored past the calendar (accepted before such dates were refused) does not break the queue.
    assert.equal(urgency(calendar, "2999-12-31", "2025-10-20"), "ok");
  });
});
