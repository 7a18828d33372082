/**
 * @module 强制检测 before sign-off: the agency's sensitive words (敏感词, block or warn) and its leaders' titles
 * (领导姓名与现任职务). Pure.
 *
 * 条例第17条 (发布前审查) and 《政府网站与政务新媒体检查指标》 (严重表述错误: 领导人姓名、职务错误 is a single veto
 * item): a leader's name written next to a title he does not hold on the record's date — a wrong title
 * (张三副局长 while he is 局长) or an outdated one (a title whose term ended before the record's date) — is a
 * finding that blocks sign-off; so is a sensitive word of severity `block`.
 */

export type CheckSeverity = "block" | "warn";

export interface SensitiveWord {
  word: string;
  severity: CheckSeverity;
}

/** One term of office: a leader's title from `validFrom` to `validTo` (inclusive; null = open). */
export interface LeaderTerm {
  name: string;
  title: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface ContentFinding {
  kind: "sensitive_word" | "leader_title";
  severity: CheckSeverity;
  /** Offset and length in the checked text of what was found (the word, or name + title). */
  start: number;
  length: number;
  /** What was found, as written. */
  found: string;
  message: string;
}

/** Every occurrence of each listed word (longer words first; an occurrence inside a longer listed word is skipped). */
export function findSensitiveWords(text: string, words: readonly SensitiveWord[]): ContentFinding[] {
  const out: ContentFinding[] = [];
  const taken: [number, number][] = [];
  const sorted = [...words].filter((w) => w.word.trim() !== "").sort((a, b) => b.word.length - a.word.length);
  for (const w of sorted) {
    for (let i = text.indexOf(w.word); i >= 0; i = text.indexOf(w.word, i + w.word.length)) {
      const end = i + w.word.length;
      if (taken.some(([s, e]) => i < e && end > s)) continue;
      taken.push([i, end]);
      out.push({
        kind: "sensitive_word",
        severity: w.severity,
        start: i,
        length: w.word.length,
        found: w.word,
        message: `敏感词「${w.word}」${w.severity === "block" ? "（禁用）" : "（慎用，请确认）"}`,
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Titles recognised next to a name besides those in the agency's list. */
const COMMON_TITLES = [
  "书记",
  "副书记",
  "党组书记",
  "党组副书记",
  "党组成员",
  "局长",
  "副局长",
  "主任",
  "副主任",
  "县长",
  "副县长",
  "区长",
  "副区长",
  "市长",
  "副市长",
  "镇长",
  "副镇长",
  "乡长",
  "副乡长",
  "旗长",
  "副旗长",
  "厅长",
  "副厅长",
  "处长",
  "副处长",
  "科长",
  "副科长",
  "部长",
  "副部长",
  "主席",
  "副主席",
  "秘书长",
  "副秘书长",
  "组长",
  "副组长",
  "调研员",
  "四级调研员",
  "总经济师",
  "总工程师",
  "纪检组长",
  "纪检监察组组长",
];

const inTerm = (t: LeaderTerm, date: string) =>
  (t.validFrom === null || t.validFrom <= date) && (t.validTo === null || t.validTo >= date);

/**
 * A leader's name next to a title (before: 副局长张三; after: 张三副局长, spaces allowed) that the leader does not
 * hold on `onDate` (the record's 成文日期). A leader without a term on that date is not judged. A title between two
 * listed names (局长张三副局长李四) belongs to the name after it.
 */
export function checkLeaderTitles(
  text: string,
  terms: readonly LeaderTerm[],
  onDate: string,
): ContentFinding[] {
  const titles = [...new Set([...COMMON_TITLES, ...terms.map((t) => t.title)])]
    .filter((t) => t !== "")
    .sort((a, b) => b.length - a.length);
  const names = [...new Set(terms.map((t) => t.name))].filter((n) => n.length >= 2);
  const out: ContentFinding[] = [];
  for (const name of names) {
    const mine = terms.filter((t) => t.name === name);
    const current = mine.filter((t) => inTerm(t, onDate));
    if (current.length === 0) continue;
    const held = new Set(current.map((t) => t.title));
    const judge = (title: string, start: number, length: number) => {
      if (held.has(title)) return;
      const past = mine.find((t) => t.title === title && !inTerm(t, onDate));
      const now = current.map((t) => t.title).join("、");
      const found = text.slice(start, start + length);
      out.push({
        kind: "leader_title",
        severity: "block",
        start,
        length,
        found,
        message: past
          ? `「${found}」：${name}的职务“${title}”${past.validTo && past.validTo < onDate ? `已于${past.validTo}结束` : `自${past.validFrom}起才任`}，成文日期${onDate}时现任${now}`
          : `「${found}」：${name}现任${now}，不是“${title}”`,
      });
    };
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) {
      const end = i + name.length;
      const before = text.slice(Math.max(0, i - 12), i).replace(/\s+$/, "");
      const gapBefore = text.slice(0, i).length - text.slice(0, i).replace(/\s+$/, "").length;
      const pre = titles.find((t) => before.endsWith(t));
      if (pre) judge(pre, i - gapBefore - pre.length, gapBefore + pre.length + name.length);
      const rest = text.slice(end);
      const gapAfter = rest.length - rest.replace(/^\s+/, "").length;
      const after = rest.slice(gapAfter);
      const post = titles.find((t) => after.startsWith(t));
      if (post && !pre) {
        const next = after.slice(post.length);
        if (!names.some((n) => next.startsWith(n))) judge(post, i, name.length + gapAfter + post.length);
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
