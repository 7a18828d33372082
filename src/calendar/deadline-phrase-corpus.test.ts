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

/** Corpus size asked for by issue #15: distinct phrases once whitespace is ignored (cells copied from PDFs differ in
 * line breaks only). Checked by a test that stays `todo` (reported, not failing) while the corpus is short of it. */
const CORPUS_SIZE_TARGET = 400;

/** Distinct = different text once whitespace is removed. */
const distinctKey = (text: string) => text.replace(/\s+/g, "");

interface CorpusEntry {
  text: string;
  expected: string[] | null;
  source: string;
  agency: string;
  /** The same phrase as published elsewhere in the same source with other spacing (PDF line breaks): not counted
   * as distinct, but each must read exactly like the phrase. */
  whitespaceVariants?: string[];
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
    const seen = new Map<string, string>();
    for (const p of corpus.phrases) {
      const key = distinctKey(p.text);
      assert.ok(!seen.has(key), `duplicate phrase (ignoring whitespace): ${p.text} = ${seen.get(key)}`);
      seen.set(key, p.text);
      assert.equal(p.text, p.text.trim(), `surrounding whitespace: ${p.text}`);
    }
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
    const flaggedAsExpected = corpus.phrases.filter(
      (p) => p.expected === null && reading(p.text) === null,
    ).length;
    console.log(
      `deadline phrase corpus: ${corpus.phrases.length} distinct phrases (issue #15 asks for ≥ ${CORPUS_SIZE_TARGET}); ` +
        `read exactly ${exact} (${(rate * 100).toFixed(1)}%; ${flaggedAsExpected} of them are phrases expected to be ` +
        `flagged as not understood, and are), not understood ${notUnderstood.length}, wrong ${wrong.length}`,
    );
    assert.deepEqual(wrong, []);
    assert.ok(rate >= 0.95, `exact-read rate ${rate}; not understood: ${notUnderstood.join("；")}`);
  });

  const distinct = new Set(corpus.phrases.map((p) => distinctKey(p.text))).size;
  it(
    `holds at least ${CORPUS_SIZE_TARGET} distinct real phrases`,
    // Reported as todo (not failing) while short: phrases are only ever copied from published catalogs, never padded.
    { todo: distinct < CORPUS_SIZE_TARGET ? `${distinct} of ${CORPUS_SIZE_TARGET} found so far` : false },
    () => assert.ok(distinct >= CORPUS_SIZE_TARGET, `${distinct} distinct phrases`),
  );

  it("reads the whitespace variants of a phrase (cells copied from PDFs) exactly like the phrase", () => {
    for (const p of corpus.phrases)
      for (const v of p.whitespaceVariants ?? []) {
        assert.equal(distinctKey(v), distinctKey(p.text), v);
        assert.deepEqual(reading(v), p.expected, v);
      }
  });

  it("a phrase it does not understand is kept verbatim and flagged, never defaulted", () => {
    for (const text of ["按上级统一部署", "视情况而定", "次月10日前"]) {
      const r = parseDeadlinePhrase(text);
      assert.deepEqual(r.rules, [], text);
      assert.deepEqual(r.unparsed, [text], text);
    }
  });
});
