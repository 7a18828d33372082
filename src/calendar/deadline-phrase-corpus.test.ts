// Table test over the corpus of real 公开时限 phrases (deadline-phrase-corpus.json): every phrase was copied from a
// published catalog (source URL or seed file, and agency, per phrase) and its expected reading written by hand.
//
// Notation of a reading, one string per rule: `20wd@formation` (20 working days from formation/change),
// `20d@approval` (calendar days), `6m@formation`, `1y@formation`, `fixed:01-31`, `period:quarter`, `standing`,
// `named:实时`, `notice:7wd` (a notice lasting 7 working days), `none`; `办事指南=…` for a labelled element and
// `…+law` when the cell says a deadline set by law prevails. `expected: null` means the phrase must be kept verbatim
// and flagged as not understood.
//
// Targets (issue #15): ≥ 95% read exactly, 0 wrong readings (a reading different from the expected one; a wrong
// reading is worse than "not understood").

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { compactReading, parseDeadlinePhrase } from "./deadline-rules.ts";

/** Corpus size asked for by issue #15 (reported, not asserted: phrases are added as they are found). */
const CORPUS_SIZE_TARGET = 400;

interface CorpusEntry {
  text: string;
  expected: string[] | null;
  source: string;
  agency: string;
}

const corpus = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "deadline-phrase-corpus.json"), "utf8"),
) as { phrases: CorpusEntry[] };

function reading(text: string): string[] | null {
  const r = parseDeadlinePhrase(text);
  if (r.unparsed.length > 0) return null;
  return r.rules.map(
    (x) => `${x.element ? `${x.element}=` : ""}${compactReading(x.rule)}${x.otherLawPrevails ? "+law" : ""}`,
  );
}

describe("deadline phrase corpus", () => {
  it("holds distinct real phrases, each with a source and an agency", () => {
    const texts = corpus.phrases.map((p) => p.text);
    assert.equal(new Set(texts).size, texts.length, "duplicate phrase");
    for (const p of corpus.phrases) {
      assert.ok(p.source.length > 0 && p.agency.length > 0, p.text);
      assert.ok(p.expected === null || p.expected.length > 0, p.text);
    }
  });

  it("reads ≥ 95% of the phrases exactly and none wrongly", () => {
    let exact = 0;
    const wrong: string[] = [];
    const notUnderstood: string[] = [];
    for (const p of corpus.phrases) {
      const got = reading(p.text);
      if (JSON.stringify(got) === JSON.stringify(p.expected)) exact++;
      else if (got === null) notUnderstood.push(p.text);
      else
        wrong.push(
          `${p.text} → ${got.join(" | ")} (expected ${p.expected?.join(" | ") ?? "not understood"})`,
        );
    }
    const rate = exact / corpus.phrases.length;
    // Distinct also once whitespace is ignored (cells copied from PDFs differ in line breaks only).
    const distinctIgnoringSpace = new Set(corpus.phrases.map((p) => p.text.replace(/\s+/g, ""))).size;
    console.log(
      `deadline phrase corpus: ${corpus.phrases.length} phrases (${distinctIgnoringSpace} distinct ignoring whitespace; ` +
        `issue #15 asks for ≥ ${CORPUS_SIZE_TARGET}), ${exact} read exactly (${(rate * 100).toFixed(1)}%), ` +
        `${wrong.length} wrong, ${notUnderstood.length} not understood`,
    );
    assert.deepEqual(wrong, []);
    assert.ok(rate >= 0.95, `exact-read rate ${rate}; not understood: ${notUnderstood.join("；")}`);
  });

  it("a phrase it does not understand is kept verbatim and flagged, never defaulted", () => {
    for (const text of ["按上级统一部署", "视情况而定", "次月10日前"]) {
      const r = parseDeadlinePhrase(text);
      assert.deepEqual(r.rules, [], text);
      assert.deepEqual(r.unparsed, [text], text);
    }
  });
});
