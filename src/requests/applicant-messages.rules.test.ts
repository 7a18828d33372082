import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { milestoneMessage, milestoneOf, nextAllowedTime } from "./applicant-messages.rules.ts";

const at = (iso: string) => new Date(iso);

describe("quiet hours (Beijing time)", () => {
  const cases: [string, number, number, string][] = [
    // now (+08:00)                 from until  → send at
    ["2025-10-20T21:59:00+08:00", 22, 8, "2025-10-20T21:59:00+08:00"],
    ["2025-10-20T22:00:00+08:00", 22, 8, "2025-10-21T08:00:00+08:00"],
    ["2025-10-20T23:30:00+08:00", 22, 8, "2025-10-21T08:00:00+08:00"],
    ["2025-10-21T00:10:00+08:00", 22, 8, "2025-10-21T08:00:00+08:00"],
    ["2025-10-21T07:59:59+08:00", 22, 8, "2025-10-21T08:00:00+08:00"],
    ["2025-10-21T08:00:00+08:00", 22, 8, "2025-10-21T08:00:00+08:00"],
    ["2025-10-21T12:30:00+08:00", 12, 14, "2025-10-21T14:00:00+08:00"],
    ["2025-10-21T14:00:00+08:00", 12, 14, "2025-10-21T14:00:00+08:00"],
    ["2025-10-21T03:00:00+08:00", 0, 6, "2025-10-21T06:00:00+08:00"],
    ["2025-10-21T03:00:00+08:00", 8, 8, "2025-10-21T03:00:00+08:00"],
  ];
  for (const [now, from, until, expected] of cases)
    it(`${now} with ${from}–${until} → ${expected}`, () => {
      assert.equal(nextAllowedTime(at(now), from, until).getTime(), at(expected).getTime());
    });
});

describe("milestones", () => {
  it("receipt, 补正, extension and any conclusion are milestones; other steps are not", () => {
    assert.equal(milestoneOf("receipt_confirmed", "processing", "awaiting_confirmation"), "received");
    assert.equal(milestoneOf("correction_requested", "correction", "processing"), "correction");
    assert.equal(milestoneOf("extension_approved", "processing", "processing"), "extended");
    assert.equal(milestoneOf("replied", "concluded", "processing"), "replied");
    assert.equal(milestoneOf("correction_lapsed", "concluded", "correction"), "replied");
    assert.equal(milestoneOf("assigned", "processing", "processing"), null);
    assert.equal(milestoneOf("delivered", "concluded", "concluded"), null);
    assert.equal(milestoneOf("consultation_started", "consultation", "processing"), null);
  });

  it("messages name the agency and the number, never personal data, and point to the access page", () => {
    const m = milestoneMessage("correction", {
      agencyName: "测试局",
      number: "2025-0001",
      title: "就业补助资金",
      note: "本机关于2025年9月29日告知您补正申请内容。",
      statusUrl: "https://gk.example.cn/apply/status",
    });
    assert.match(m.subject, /【测试局】请补正您的申请（申请编号2025-0001）/);
    assert.match(m.body, /在线提交补正/);
    assert.match(m.body, /https:\/\/gk\.example\.cn\/apply\/status/);
    assert.doesNotMatch(m.body, /undefined|null/);
  });
});
