/**
 * @module `gongkai deadline add <start> <expression> [--explain] [--json]`: a due date on the effective calendar
 * (year files + database overrides), e.g. `gongkai deadline add 2025-09-26 20wd --explain`.
 * (`deadline parse` is in deadline-parse.command.ts: it loads no calendar, database or app module.)
 */

import { type CalendarReader, withDeadlineErrors } from "../calendar/calendar.service.ts";
import { isValidDate } from "../calendar/date.ts";
import {
  type DeadlineExplanation,
  explainDeadline,
  parseDeadlineExpression,
} from "../calendar/deadline-expression.ts";
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
  reader: CalendarReader | undefined,
  args: { start: string; expression: string; agencySlug?: string | undefined },
): Promise<DeadlineExplanation> {
  const calendar = await resolveCalendar(reader, args.agencySlug);
  return withDeadlineErrors(() => explainDeadline(calendar, args.start, args.expression));
}

export const deadlineAddCommand: Command = {
  name: "deadline add",
  summary: "计算期限截止日（工作日/自然日/月） / compute a due date (20wd, 10d, 1m)",
  usage: USAGE,
  options: { explain: { type: "boolean" }, json: { type: "boolean" }, agency: { type: "string" } },
  positionals: true,
  async run({ values, positionals }, io, env) {
    const args = parseDeadlineArgs(positionals);
    return withCalendarDatabase(io, env, values.agency, async (reader) => {
      const result = await deadlineAdd(reader, { ...args, agencySlug: values.agency as string | undefined });
      if (values.json) {
        printJson(io, values.explain ? result : { ...result, steps: result.steps.map((s) => s.text) });
        return 0;
      }
      io.stdout.write(`${result.due}${result.provisional ? "（临时 / provisional）" : ""}\n`);
      if (values.explain)
        for (const [i, s] of result.steps.entries()) io.stdout.write(`  ${i + 1}. ${s.text}\n`);
      else if (result.provisional) for (const r of result.reasons) io.stdout.write(`  注：${r}\n`);
      return 0;
    });
  },
};
