import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OUTCOME_CODES } from "../legal/annual-report-codes.ts";
import {
  DEFAULT_LEGAL_BASIS,
  DEFAULT_REPLY_TEXT,
  REPLY_TYPES,
  remedyClause,
  replyProblems,
} from "./outcome.rules.ts";

describe("reply types and the 21 outcome rows of table 三", () => {
  it("every outcome row is reachable through exactly the reply types that list it", () => {
    for (const code of OUTCOME_CODES) {
      assert.ok(
        REPLY_TYPES.some((t) => t.outcomes.includes(code)),
        `outcome ${code} has no reply type`,
      );
      assert.ok(code in DEFAULT_LEGAL_BASIS && code in DEFAULT_REPLY_TEXT);
    }
    assert.equal(OUTCOME_CODES.length, 21);
  });

  const cases: [string, Parameters<typeof replyProblems>[0], string[]][] = [
    [
      "Art. 36(2) granted",
      {
        replyType: "art36_2",
        outcome: "granted",
        legalBasis: DEFAULT_LEGAL_BASIS.granted,
        correctionCompleted: false,
      },
      [],
    ],
    [
      "Art. 36(3) with a withheld reason",
      {
        replyType: "art36_3",
        outcome: "withheld_process_information",
        legalBasis: DEFAULT_LEGAL_BASIS.withheld_process_information,
        correctionCompleted: false,
      },
      [],
    ],
    [
      "mismatched outcome",
      { replyType: "art36_3", outcome: "granted", legalBasis: "条例第十四条", correctionCompleted: false },
      ["outcome"],
    ],
    [
      "still unclear needs a correction first",
      {
        replyType: "art30_unclear",
        outcome: "unavailable_still_unclear",
        legalBasis: DEFAULT_LEGAL_BASIS.unavailable_still_unclear,
        correctionCompleted: false,
      },
      ["outcome"],
    ],
    [
      "lapse only through its action",
      {
        replyType: "art30_lapsed",
        outcome: "other_not_corrected",
        legalBasis: DEFAULT_LEGAL_BASIS.other_not_corrected,
        correctionCompleted: true,
      },
      ["replyType"],
    ],
    [
      "lapse by the system action",
      {
        replyType: "art30_lapsed",
        outcome: "other_not_corrected",
        legalBasis: DEFAULT_LEGAL_BASIS.other_not_corrected,
        correctionCompleted: true,
        system: true,
      },
      [],
    ],
    [
      "legal basis required",
      { replyType: "other", outcome: "other_other", legalBasis: "", correctionCompleted: false },
      ["legalBasis"],
    ],
    [
      "unknown type",
      { replyType: "x", outcome: "granted", legalBasis: "abcd", correctionCompleted: false },
      ["replyType"],
    ],
  ];
  for (const [name, input, fields] of cases) {
    it(name, () =>
      assert.deepEqual(
        replyProblems(input).map((p) => p.field),
        fields,
      ),
    );
  }

  it("remedy clause names 60 days and 6 months", () => {
    const text = remedyClause("某市人民政府", "某区人民法院");
    assert.match(text, /六十日内向某市人民政府申请行政复议/);
    assert.match(text, /六个月内向某区人民法院提起行政诉讼/);
    assert.doesNotMatch(text, /有管辖权的/, "the agency's own bodies, never a placeholder");
  });
});
