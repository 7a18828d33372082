/**
 * @module Queries drawn at random for the search benchmarks, so that no class of query is measured only through
 * examples picked in advance: substrings (1–8 characters) of the generated corpus's own text, pairs of its
 * characters that may never be adjacent, two or three words separated by a space, numbers and 文号 fragments, with
 * random agency and year filters, sort and page. Deterministic for a seed.
 */
import { corpusVocabulary } from "../ops/dev-corpus.ts";
import { seededRandom } from "../shared/random.ts";

export interface RandomQuery {
  kind: "substring" | "char pairs" | "words" | "number";
  query: Record<string, string>;
}

export function randomQueries(
  n: number,
  agencies: readonly string[],
  years: readonly [number, number],
  seed = 20261204,
): RandomQuery[] {
  const r = seededRandom(seed);
  const vocab = corpusVocabulary();
  const text = Array.from(vocab.join("，"));
  const chars = [...new Set(text.filter((c) => /\p{Script=Han}/u.test(c)))];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const substring = (len: number) => {
    const at = Math.floor(r() * (text.length - len));
    return text.slice(at, at + len).join("");
  };
  const out: RandomQuery[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    let kind: RandomQuery["kind"];
    let q: string;
    if (x < 0.5) {
      kind = "substring";
      q = substring(1 + Math.floor(r() * 8));
    } else if (x < 0.7) {
      kind = "char pairs";
      q = Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(chars)).join("");
    } else if (x < 0.85) {
      kind = "words";
      q = Array.from({ length: 2 + Math.floor(r() * 2) }, () => substring(2 + Math.floor(r() * 3))).join(" ");
    } else {
      kind = "number";
      const year = years[0] + Math.floor(r() * (years[1] - years[0] + 1));
      q = pick([
        `${year}`,
        `〔${year}〕`,
        `${year}年`,
        `${Math.floor(r() * 90_000) + 100}`,
        `${Math.floor(r() * 99) + 1}号`,
      ]);
    }
    const query: Record<string, string> = { q: q.trim() || "就业" };
    const f = r();
    if (f < 0.2) query.agency = pick(agencies);
    else if (f < 0.35) query.year = String(years[0] + Math.floor(r() * (years[1] - years[0] + 1)));
    else if (f < 0.45) {
      query.agency = pick(agencies);
      query.year = String(years[0] + Math.floor(r() * (years[1] - years[0] + 1)));
    }
    if (r() < 0.3) query.sort = "date";
    query.page = String(pick([1, 1, 1, 2, 5, 20, 50]));
    out.push({ kind, query });
  }
  return out;
}
