/**
 * @module Pure readers and writers of single catalog cells: content elements (公开内容（要素）), channel tick lists
 * (公开渠道和载体), legal-basis lists (公开依据), responsible units (责任单位), tick columns and item numbers.
 * Each reader has a writer, and `read(write(x))` gives `x` back (export → import round trip).
 */

import { toSimplifiedCharacters } from "../shared/simplified.ts";
import {
  type CatalogDocElement,
  type CatalogDocUnit,
  STANDARD_CHANNELS,
  type StandardChannel,
} from "./catalog.model.ts";

/** Cells that explicitly say "nothing here" (not "same as above"). */
const EMPTY_MARKERS = new Set(["—", "——", "-", "－", "--", "/", "／", "无", "—  —", "— —"]);

export function isExplicitEmpty(text: string): boolean {
  return EMPTY_MARKERS.has(text.trim());
}

/** 同上 / 〃: the cell repeats the value of the row above. */
export function isDitto(text: string): boolean {
  return /^(?:同上|同上。|〃|"|”|同前)$/.test(text.trim());
}

/** Trims, unifies line breaks and drops spaces around them. */
export function cleanCell(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Content elements and per-element deadlines

/** A list marker: 1. / 2、 / 3． (not preceded by a digit or a dot, not followed by a digit). */
const LIST_MARKER = /(?<![\d.．])(\d{1,2})\s*[.、．](?!\d)/g;
/** A part label before ：, e.g. 「办事指南：」. No digits, brackets or sentence punctuation inside. */
const LABEL = /^\s*([^:：,，;；。()（）\d\n]{1,10}?)\s*[:：]\s*/;
const TRAILING_SEPARATORS = /[\s；;，,]+$/;

export interface CellPart {
  number: string | null;
  label: string;
  text: string;
}

/**
 * Splits a multi-part cell: at list markers (1. / 2、), and at line breaks when the cell has no markers or the
 * new line starts with a label (「办理结果：…」). Other line breaks continue the previous part.
 */
export function splitParts(cell: string): CellPart[] {
  const text = cleanCell(cell);
  if (text === "") return [];
  const hasMarkers =
    /(?:^|[\s；;。，,])\d{1,2}\s*[.、．](?!\d)/.test(text) || /^\d{1,2}\s*[.、．](?!\d)/.test(text);
  const raw: { number: string | null; body: string }[] = [];
  for (const line of text.split("\n")) {
    const starts: { index: number; number: string; length: number }[] = [];
    if (hasMarkers) {
      for (const m of line.matchAll(LIST_MARKER)) {
        const before = line.slice(0, m.index);
        // A marker counts at the start of the line or after whitespace/punctuation.
        if (before === "" || /[\s；;。，,：:]$/.test(before))
          starts.push({ index: m.index, number: m[1] as string, length: m[0].length });
      }
    }
    const head = starts.length > 0 ? line.slice(0, starts[0]?.index).trim() : line;
    if (head !== "") {
      const startsNew = raw.length === 0 || !hasMarkers || LABEL.test(head);
      const last = raw[raw.length - 1];
      if (startsNew || !last) raw.push({ number: null, body: head });
      else last.body = `${last.body}\n${head}`;
    }
    starts.forEach((s, i) => {
      raw.push({
        number: s.number,
        body: line.slice(s.index + s.length, starts[i + 1]?.index ?? line.length),
      });
    });
  }
  return raw.map(({ number, body }) => {
    let rest = body.trim();
    let label = "";
    const m = rest.match(LABEL);
    if (m) {
      label = (m[1] as string).trim();
      rest = rest.slice(m[0].length);
    }
    return { number, label, text: rest.replace(TRAILING_SEPARATORS, "").trim() };
  });
}

/**
 * Reads the 公开内容（要素） cell into elements and gives each the deadline that applies to it: the matching part of
 * the 公开时限 cell (by label, else by number, else by position when both cells have as many parts), otherwise the
 * whole 公开时限 cell. `isOneDeadline` (the deadline parser) tells a phrase wrapped over lines from one rule per line.
 */
export function parseElements(
  contentCell: string,
  deadlineCell: string | null,
  isOneDeadline?: (text: string) => boolean,
): CatalogDocElement[] {
  const parts = splitParts(contentCell);
  const deadline = deadlineCell === null ? "" : cleanCell(deadlineCell);
  let deadlineParts = deadline === "" ? [] : splitParts(deadline);
  // 「自信息形↵成或者变↵更之日起↵20个工作↵日内予以↵公开」: a phrase wrapped over lines (cells copied from PDFs) is one
  // deadline for every element, not one line per element — when its lines, joined, read as one deadline.
  if (
    deadlineParts.length > 1 &&
    deadlineParts.every((d) => d.number === null && d.label === "") &&
    isOneDeadline?.(deadline.replace(/\n/g, ""))
  )
    deadlineParts = [];
  return parts.map((p, i) => ({
    number: p.number,
    label: p.label,
    content: p.text,
    deadlineText: pairDeadline(p, i, parts.length, deadline, deadlineParts),
  }));
}

function pairDeadline(
  part: CellPart,
  index: number,
  count: number,
  whole: string,
  deadlineParts: CellPart[],
): string | null {
  if (whole === "") return null;
  if (deadlineParts.length <= 1) return whole;
  const byLabel = part.label ? deadlineParts.find((d) => d.label === part.label) : undefined;
  if (byLabel) return byLabel.text;
  const byNumber = part.number ? deadlineParts.find((d) => d.number === part.number) : undefined;
  if (byNumber) return byNumber.text;
  if (deadlineParts.length === count) return deadlineParts[index]?.text ?? whole;
  return whole;
}

/** Writes elements back into one 公开内容 cell (one part per line). */
export function formatElements(
  elements: readonly Pick<CatalogDocElement, "number" | "label" | "content">[],
): string {
  return elements
    .map((e) => {
      const prefix = e.number ? `${e.number}. ` : "";
      const label = e.label ? `${e.label}：` : "";
      return `${prefix}${label}${e.content}`;
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Channels (公开渠道和载体)

/** Other spellings of the standard channels seen in catalogs. */
const CHANNEL_ALIASES: Record<string, StandardChannel> = {
  政府网站公开: "政府网站",
  门户网站: "政府网站",
  政府门户网站: "政府网站",
  网站: "政府网站",
  报刊: "纸质媒体",
  "纸质媒体/报刊": "纸质媒体",
  纸质媒体报刊: "纸质媒体",
  报纸: "纸质媒体",
  "广播/电视": "广播电视",
  广播: "广播电视",
  电视: "广播电视",
  发布会: "发布会/听证会",
  新闻发布会: "发布会/听证会",
  发布会听证会: "发布会/听证会",
  听证会: "发布会/听证会",
  "入户/现场": "入户/现场",
  入户现场: "入户/现场",
  "社区/企事业单位/村公示栏": "社区/企事业单位/村公示栏（电子屏）",
  "社区(村)/企事业单位公示栏": "社区/企事业单位/村公示栏（电子屏）",
  "社区/企事业单位/村公示栏(电子屏)": "社区/企事业单位/村公示栏（电子屏）",
  公示栏: "社区/企事业单位/村公示栏（电子屏）",
  "精准推送(注明)": "精准推送",
  "其他(注明)": "其他",
  其它: "其他",
  微博微信客户端: "两微一端",
  "两微一端(微博、微信、客户端)": "两微一端",
};

function channelKey(label: string): string {
  // 政府網站 (a catalog served in 繁体) is the standard 政府网站.
  return toSimplifiedCharacters(label)
    .replace(/\s+/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/／/g, "/")
    .replace(/[。；;，,、]+$/, "");
}

const STANDARD_BY_KEY: ReadonlyMap<string, StandardChannel> = new Map<string, StandardChannel>([
  ...STANDARD_CHANNELS.map((c) => [channelKey(c), c] as [string, StandardChannel]),
  ...Object.entries(CHANNEL_ALIASES).map(([alias, c]) => [channelKey(alias), c] as [string, StandardChannel]),
]);

export interface NormalizedChannel {
  /** The standard channel, when the label is one (or an alias of one). */
  channel?: StandardChannel;
  /** Free text: a non-standard channel, or what 其他（…）/精准推送（…） names. */
  other?: string;
}

/**
 * Maps a channel label to a standard channel or keeps it as free text. 「其他（X）」 gives 其他 plus the free text X;
 * 「中卫市人民政府门户网站」, 「旗政府门户网站」 stay free text (they name a specific site).
 */
export function normalizeChannel(label: string): NormalizedChannel {
  const text = label
    .trim()
    .replace(/^[:：]/, "")
    .trim();
  if (text === "") return {};
  const key = channelKey(text);
  const std = STANDARD_BY_KEY.get(key);
  if (std) return { channel: std };
  // 「其他（X）」「其他：X」「其他 X」「其他____」: the 其他 tick is kept, X (when written) as free text.
  const detail =
    key.match(/^(其他|精准推送)[(:：](.+?)\)?$/) ??
    text.match(/^(其他|精准推送)\s+(.+)$/) ??
    key.match(/^(其他|精准推送)([_…．.—-]+)$/) ??
    // 「其他法律服务网」: 其他 with the channel it names written straight after it.
    key.match(/^(其他)([\u4e00-\u9fa5].*)$/s);
  if (detail) {
    const inner = (detail[2] as string).replace(/\)$/, "").trim();
    const channel = detail[1] as StandardChannel;
    if (inner === "" || inner === "注明" || /^[_…．.—\-\s]+$/.test(inner)) return { channel };
    return { channel, other: inner };
  }
  return { other: text };
}

export interface ChannelCell {
  channels: StandardChannel[];
  other: string[];
  /** Free-text labels (not standard channels), for the "unknown channel" warning. */
  unknown: string[];
  /** True when the cell was a tick list (some entry had ■/□ or ☑/☐). */
  tickList: boolean;
  /** A note written in the cell after the channels (「注：有关公开信息可推送或归集至本省级法律服务网。」). */
  note?: string;
}

// ▄ (枣庄高新区 目录: 「▄政府网站;口政府公报;…」) is a filled box drawn with a block character.
const TICKED = "■☑☒✓✔√▣◼◾✅▄";
const UNTICKED = "□☐◻◽▢";
const TICK_SPLIT = new RegExp(`([${TICKED}${UNTICKED}]|\\[[xX ✓]\\])`, "g");

/**
 * Reads a 公开渠道和载体 cell: a tick list (■/□, ☑/☐, √, [x]/[ ]; HTML checkboxes arrive here already turned into
 * ■/□) or plain labels separated by line breaks, 、, ，, ；. An unticked channel is not a channel.
 */
export function parseChannelCell(cell: string): ChannelCell {
  let text = cleanCell(cell);
  // 「■政府网站 口两微一端 □广播电视」: the character 口 typed for an empty box (锡林浩特市, 枣庄高新区 目录). Read as □
  // only in a tick list and only where a box stands (start of a line, after a space, a separator or another box), so
  // that 门口, 窗口 and 入口 inside a label stay words.
  if (new RegExp(`[${TICKED}${UNTICKED}]`).test(text))
    text = text.replace(
      new RegExp(`(^|[\\s;；,，:：、${TICKED}${UNTICKED}])口(?=[\\u4e00-\\u9fa5])`, "gm"),
      "$1□",
    );
  const out: ChannelCell = { channels: [], other: [], unknown: [], tickList: false };
  // 「■其他法律服务网注:有关公开信息可推送或归集至本省级法律服务网。」 (东阳市, 三门县): a note after the channels is
  // not a channel; it is kept apart (the import adds it to the item's 备注).
  const note = /\s*(注\s*[:：].*)$/s.exec(text);
  if (note) {
    out.note = (note[1] as string).trim();
    text = text.slice(0, note.index).trim();
  }
  if (text === "" || isExplicitEmpty(text)) return out;
  const add = (label: string) => {
    const n = normalizeChannel(label);
    if (n.channel && !out.channels.includes(n.channel)) out.channels.push(n.channel);
    if (n.other && !out.other.includes(n.other)) {
      out.other.push(n.other);
      if (!n.channel) out.unknown.push(n.other);
    }
  };
  if (new RegExp(`[${TICKED}${UNTICKED}]|\\[[xX ✓]\\]`).test(text)) {
    out.tickList = true;
    // "■政府网站 □政府公报 ■两微一端": each mark applies to the text up to the next mark.
    const pieces = text.split(TICK_SPLIT);
    for (let i = 1; i < pieces.length; i += 2) {
      const mark = pieces[i] as string;
      const label = (pieces[i + 1] ?? "").replace(/\s+/g, " ").trim();
      const ticked = TICKED.includes(mark) || /^\[[xX✓]\]$/.test(mark);
      if (ticked && label !== "") add(label);
    }
    return out;
  }
  for (const label of text.split(/[\n、，,；;]+/)) if (label.trim() !== "") add(label);
  return out;
}

/**
 * Writes the standard tick list: the 13 channels with ■ (ticked) or □, then ■ for each free-text channel.
 */
export function formatChannelTickList(channels: readonly string[], other: readonly string[]): string {
  const lines = STANDARD_CHANNELS.map((c) => `${channels.includes(c) ? "■" : "□"}${c}`);
  for (const o of other) lines.push(`■${o}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Legal basis, responsible units, ticks, numbers

/** Splits a 公开依据 cell into single citations (at ；/; and line breaks; a final 。 dropped). */
export function splitLegalBasis(cell: string): string[] {
  const text = cleanCell(cell);
  if (text === "" || isExplicitEmpty(text)) return [];
  return text
    .split(/[；;\n]+/)
    .map((s) =>
      s
        .trim()
        .replace(/[。，,、]+$/, "")
        .trim(),
    )
    .filter((s) => s !== "");
}

export function formatLegalBasis(citations: readonly string[]): string {
  return citations.join("；\n");
}

/** Words that on their own only complete a group designation (「所有科室、单位」). */
const GROUP_TAIL = /^(?:单位|科室|股室|处室|部门|站所|中心)$/;

/** A group designation rather than one unit: 所有科室、单位 / 局属各单位 / 就业促进科等科室. */
export function isGroupDesignation(name: string): boolean {
  return /所有|全体|各|等/.test(name);
}

/**
 * Reads a 责任单位 cell: 「X牵头、Y配合」 gives lead X and cooperating Y; otherwise every unit leads. Units are split
 * at 、，；; group designations (「所有科室、单位」) stay whole.
 */
export function parseResponsible(cell: string): CatalogDocUnit[] {
  const text = cleanCell(cell).replace(/\n/g, "、");
  if (text === "" || isExplicitEmpty(text)) return [];
  const units: CatalogDocUnit[] = [];
  const m = text.match(/^(.*?)(?:牵头|负责)[，,、；;\s]*(.*?)(?:配合|协助|参与)?$/);
  if (m && /牵头|负责/.test(text)) {
    for (const name of splitUnits(m[1] as string)) units.push({ name, role: "lead" });
    for (const name of splitUnits(m[2] as string)) units.push({ name, role: "cooperating" });
    return units;
  }
  const co = text.match(/^(.*?)(?:配合|协助)$/);
  if (co) return splitUnits(co[1] as string).map((name) => ({ name, role: "cooperating" }));
  return splitUnits(text).map((name) => ({ name, role: "lead" }));
}

function splitUnits(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(/[、，,；;]+|及(?=[^、，,；;]{2,})/)) {
    const name = piece.trim();
    if (name === "") continue;
    const last = out[out.length - 1];
    if (last !== undefined && GROUP_TAIL.test(name) && isGroupDesignation(last))
      out[out.length - 1] = `${last}、${name}`;
    else out.push(name);
  }
  return out;
}

/** Writes units as a 责任单位 cell: 「A、B牵头，C配合」 or 「A、B」. */
export function formatResponsible(units: readonly CatalogDocUnit[]): string {
  const lead = units.filter((u) => u.role === "lead").map((u) => u.name);
  const co = units.filter((u) => u.role === "cooperating").map((u) => u.name);
  if (co.length === 0) return lead.join("、");
  if (lead.length === 0) return `${co.join("、")}配合`;
  return `${lead.join("、")}牵头，${co.join("、")}配合`;
}

/** A tick-column cell (全社会 / 特定群体 / 主动 / 依申请 / 县级 / 乡级): ticked when it holds √, ✓, ■, ☑, 是, Y … */
export function isTicked(cell: string): boolean {
  const t = cell.trim();
  if (t === "") return false;
  if (/^[□☐×✗✘否无NnFf0-]$/.test(t) || isExplicitEmpty(t)) return false;
  return /^[√✓✔■☑☒●◆▣xX✅是Yy1]/.test(t) || /^(?:是|有|yes|true)$/i.test(t);
}

/** Item numbering at the start of a name cell: 「一、概况信息」, 「1. 机构信息」, 「（三）…」, 「1.2 …」. */
const NUMBER_PREFIX =
  /^\s*(?:[（(]([一二三四五六七八九十百\d]{1,4})[)）]|([一二三四五六七八九十百]{1,4})[、.．]|(\d{1,3}(?:[.．]\d{1,3}){1,7})(?:[、.．]?\s*)(?=[^\d\s.．、])|(\d{1,3})(?:[、.．]\s*|\s+)|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))\s*(?=\S)/;

export function splitNumberPrefix(cell: string): { number: string | null; name: string } {
  const text = cleanCell(cell).replace(/\n/g, "");
  const m = text.match(NUMBER_PREFIX);
  if (!m) return { number: null, name: isExplicitEmpty(text) ? "" : text };
  const name = text.slice(m[0].length).trim();
  const number = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]) as string;
  return { number: number.replace(/．/g, "."), name: isExplicitEmpty(name) ? "" : name };
}

/** Writes a name cell with its number (「一、概况信息」, 「12. 通知公告」); an unnamed item is 「—」. */
export function formatNumberedName(number: string | null, name: string): string {
  const shown = name === "" ? "—" : name;
  if (!number) return shown;
  if (/^[一二三四五六七八九十百]+$/.test(number)) return `${number}、${shown}`;
  if (/^[①-⑳]$/.test(number)) return `${number}${shown}`;
  return /^\d+$/.test(number) ? `${number}. ${shown}` : `${number} ${shown}`;
}
