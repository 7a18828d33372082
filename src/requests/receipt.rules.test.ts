import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { needsConfirmation, type ReceiptFacts, receiptDate } from "./receipt.rules.ts";

// 条例第31条
describe("receipt date by channel", () => {
  const cases: [string, ReceiptFacts, string | null][] = [
    ["in person: the day of submission", { channel: "in_person", submittedOn: "2025-03-03" }, "2025-03-03"],
    ["oral: the day it was made", { channel: "oral", submittedOn: "2025-03-03" }, "2025-03-03"],
    [
      "post: the day the office signed for it",
      { channel: "post", submittedOn: "2025-03-03", signedForOn: "2025-03-05" },
      "2025-03-05",
    ],
    [
      "ordinary letter: the day confirmed with the applicant",
      { channel: "post", submittedOn: "2025-03-03", confirmedOn: "2025-03-04" },
      "2025-03-04",
    ],
    ["post not yet signed for", { channel: "post", submittedOn: "2025-03-03" }, null],
    ["online: waits for mutual confirmation", { channel: "online", submittedOn: "2025-03-01" }, null],
    [
      "online: the day both sides confirmed",
      { channel: "online", submittedOn: "2025-03-01", confirmedOn: "2025-03-03" },
      "2025-03-03",
    ],
    [
      "fax: confirmation",
      { channel: "fax", submittedOn: "2025-03-01", confirmedOn: "2025-03-04" },
      "2025-03-04",
    ],
    ["e-mail: confirmation", { channel: "email", submittedOn: "2025-03-01" }, null],
    [
      "hotline: confirmation",
      { channel: "hotline", submittedOn: "2025-03-01", confirmedOn: "2025-03-02" },
      "2025-03-02",
    ],
  ];
  for (const [name, f, expected] of cases) {
    it(name, () => {
      const r = receiptDate(f);
      assert.equal(r.receivedOn, expected);
      assert.match(r.basis, /条例第三十一条/);
    });
  }
  it("which channels wait", () => {
    assert.deepEqual(
      (["online", "in_person", "oral", "post", "fax", "email", "hotline"] as const).filter(needsConfirmation),
      ["online", "fax", "email", "hotline"],
    );
  });
});
