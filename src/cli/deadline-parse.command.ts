/**
 * @module `gongkai deadline parse "<text>" [--json]`: the reading of a 公开时限 phrase, or why it was not understood
 * (exit 1). Pure: it imports only the phrase parser, so it starts fast and never touches a database.
 */
import {
  describeRule,
  parseDeadlinePhrase,
  type RuleReading,
  ruleReading,
} from "../calendar/deadline-rules.ts";
import { CliError, type Command, printJson } from "./command.ts";

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
        io.stdout.write(
          `${r.element ? `${r.element}：` : ""}${r.description}  [${r.kind}${amount}${trigger}]\n`,
        );
      }
      if (result.reason) io.stdout.write(`${result.reason}\n`);
    }
    return result.understood ? 0 : 1;
  },
};
