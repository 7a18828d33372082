/**
 * @module `gongkai deadline add <start> <expression> [--explain] [--json]`: a due date on the effective calendar
 * (year files + database overrides), e.g. `gongkai deadline add 2025-09-26 20wd --explain`; and
 * `gongkai deadline parse "<text>" [--json]`: the reading of a 公开时限 phrase, or why it was not understood (exit 1).
 */

import { withDeadlineErrors } from "../calendar/calendar.service.ts";
import { isValidDate } from "../calendar/date.ts";
import {
  type DeadlineExplanation,
  explainDeadline,
  parseDeadlineExpression,
} from "../calendar/deadline-expression.ts";
import {
  describeRule,
  parseDeadlinePhrase,
  type RuleReading,
  ruleReading,
} from "../calendar/deadline-rules.ts";
import type { DbOrTx } from "../db/database.ts";
import { resolveCalendar, withCalendarDatabase } from "./calendar.command.ts";
import { CliError, type Command, printJson } from "./command.ts";

const USAGE = "gongkai deadline add <YYYY-MM-DD> <N wd|d|m> [--agency <slug>] [--explain] [--json]";

/** Validates the positional arguments before the database is opened (usage errors exit with 2). */
export function parseDeadlineArgs(positionals: string[]): { start: string; expression: string } {
  const [start, expression, extra] = positionals;
  if (start === undefined || expression === undefined || extra !== undefined) {
    throw new CliError(`expected a start date and an expression\n用法 / usage: ${USAGE}`, 2);
  }
  if (!isValidDate(start))
    throw new CliError(`日期格式无效（应为YYYY-MM-DD）：${start}\n用法 / usage: ${USAGE}`, 2);
  try {
    parseDeadlineExpression(expression);
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n用法 / usage: ${USAGE}`, 2);
  }
  return { start, expression };
}

/** Core of `deadline add` (injectable database for tests; without one, the bundled calendar). */
export async function deadlineAdd(
  db: DbOrTx | undefined,
  args: { start: string; expression: string; agencySlug?: string | undefined },
): Promise<DeadlineExplanation> {
  const calendar = await resolveCalendar(db, args.agencySlug);
  return withDeadlineErrors(() => explainDeadline(calendar, args.start, args.expression));
}

export const deadlineAddCommand: Command = {
  name: "deadline add",
  summary: "计算期限截止日（工作日/自然日/月） / compute a due date (20wd, 10d, 1m)",
  usage: USAGE,
  options: { explain: { type: "boolean" }, json: { type: "boolean" }, agency: { type: "string" } },
  positionals: true,
  async run({ values, positionals }, io) {
    const args = parseDeadlineArgs(positionals);
    return withCalendarDatabase(io, values.agency, async (db) => {
      const result = await deadlineAdd(db, { ...args, agencySlug: values.agency as string | undefined });
      if (values.json) {
        printJson(io, values.explain ? result : { ...result, steps: result.steps.map((s) => s.text) });
        return 0;
      }
      io.out(`${result.due}${result.provisional ? "（临时 / provisional）" : ""}\n`);
      if (values.explain) for (const [i, s] of result.steps.entries()) io.out(`  ${i + 1}. ${s.text}\n`);
      else if (result.provisional) for (const r of result.reasons) io.out(`  注：${r}\n`);
      return 0;
    });
  },
};

const PARSE_USAGE = 'gongkai deadline parse "<公开时限 text>" [--json]';

/** The reading of a 公开时限 phrase as `deadline parse` prints it (pure: no database). */
export function deadlineParse(text: string): {
  text: string;
  understood: boolean;
  rules: (RuleReading & {
    element?: string;
    source: string;
    description: string;
    otherLawPrevails?: boolean;
  })[];
  unparsed: string[];
  reason?: string;
} {
  const r = parseDeadlinePhrase(text);
  const rules = r.rules.map((p) => ({
    ...(p.element ? { element: p.element } : {}),
    ...ruleReading(p.rule),
    source: p.source,
    description: describeRule(p.rule),
    ...(p.otherLawPrevails ? { otherLawPrevails: true } : {}),
  }));
  const understood = r.rules.length > 0 && r.unparsed.length === 0;
  const out: ReturnType<typeof deadlineParse> = { text, understood, rules, unparsed: r.unparsed };
  if (!understood) {
    out.reason =
      r.rules.length === 0 && r.unparsed.length === 0
        ? "文本为空 / empty text"
        : `未能理解：${r.unparsed.map((u) => `“${u}”`).join("、")}（原文保留，不默认为20个工作日）`;
  }
  return out;
}

export const deadlineParseCommand: Command = {
  name: "deadline parse",
  summary: "解读公开时限文字（规则、起算事件）/ read a deadline phrase (no database needed)",
  usage: PARSE_USAGE,
  options: { json: { type: "boolean" } },
  positionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new CliError(`expected one text\n用法 / usage: ${PARSE_USAGE}`, 2);
    const result = deadlineParse(positionals[0]!);
    if (values.json) printJson(io, result);
    else {
      for (const r of result.rules) {
        const amount = r.amount !== undefined ? ` ${r.amount}` : r.value ? ` ${r.value}` : "";
        const trigger = r.trigger ? ` from ${r.trigger}${r.implicitTrigger ? " (implied)" : ""}` : "";
        io.out(`${r.element ? `${r.element}：` : ""}${r.description}  [${r.kind}${amount}${trigger}]\n`);
      }
      if (result.reason) io.out(`${result.reason}\n`);
    }
    return result.understood ? 0 : 1;
  },
};
