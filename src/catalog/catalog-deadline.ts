/**
 * @module The catalog's one link to the deadline phrase parser (src/calendar): parses 公开时限 cells into rules
 * and explains them in Chinese (the admin UI shows "the parser's reading" on save).
 */
import { type DeadlineRule, describeRule, type ParsedRule, parseDeadlinePhrase } from "../calendar/index.ts";

export type { DeadlineRule, ParsedRule } from "../calendar/index.ts";

export interface DeadlineReading {
  rules: ParsedRule[];
  unparsed: string[];
}

export function parseDeadline(text: string | null | undefined): DeadlineReading {
  if (text === null || text === undefined || text.trim() === "") return { rules: [], unparsed: [] };
  // One phrase wrapped over lines (「自信息形↵成或者变↵更之日起↵20个工作↵日内予以↵公开」, cells copied from PDFs) is read
  // whole: line by line its fragments are not understood, and a fragment such as 「20日内」 after 「批复后」 would be
  // read with the wrong trigger.
  const whole = parseDeadlinePhrase(text);
  if (whole.rules.length > 0 && whole.unparsed.length === 0) return whole;
  // A cell joined from several source rows (one deadline per line) is parsed line by line.
  const rules: ParsedRule[] = [];
  const unparsed: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const r = parseDeadlinePhrase(line);
    rules.push(...r.rules);
    unparsed.push(...r.unparsed);
  }
  return { rules, unparsed };
}

/** One line per rule, e.g. "办事指南：实时公开（当日）". */
export function describeReading(reading: DeadlineReading): string[] {
  return reading.rules.map(
    (r) => `${r.element ? `${r.element}：` : ""}${describeRule(r.rule as DeadlineRule)}`,
  );
}
