/**
 * Checks the curated seed catalogs against their own invariants and against the source text they were curated
 * from (verbatim wording, ticked channels, row coverage). The sources are public documents kept in the repository
 * (./sources/), so these checks always run: a missing source file fails the test, it never skips.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { SeedCatalog, SeedItem } from "./seed-catalog.types.ts";

const HERE = import.meta.dirname;
/** The four published catalogs as extracted text (public documents), the sources of the curated JSON. */
export const SOURCES_DIR = path.join(HERE, "sources");

interface Counts {
  level1: number;
  level2: number;
  level3: number;
  /** items that carry content (rows of the source, after merging continuation rows) */
  leaves: number;
  elements: number;
}

interface SeedCase {
  slug: string;
  /** How the source marks channels: ■/□ etc. on the item's line, a ■/□ block of PDF lines, or a plain cell. */
  channelStyle: "marks-line" | "marks-block" | "plain-cell";
  /** Counts determined by reading the source; the comment on each case says how they were counted. */
  expected: Counts;
  /** Catalog rows of the source (1-based line numbers), computed from the text itself. */
  dataRows?: (lines: string[]) => number[];
  /** Cells the conversion split across lines and that the curation joined, rebuilt from the source. */
  joinedCells?: (lines: string[]) => string[];
}

const tabbed = (first: number) => (lines: string[]) =>
  lines.flatMap((l, i) => (i + 1 > first && l.includes("\t") ? [i + 1] : []));

const cellOf = (lines: string[], row: number, cell: number): string =>
  lines[row - 1]?.split("\t")[cell] ?? "";

const CASES: SeedCase[] = [
  {
    // 000: 61 tab-separated data rows (lines 7–72 minus the page-break blank lines).
    // 一级 = 17: distinct names in column 1, a run of repeated names counted once (行政许可 on rows 25–27,
    // 公共服务 on rows 33–58). 二级 = 58: non-blank 二级 cells = 61 rows minus rows 10 and 24 (continuation
    // rows, all name cells blank) and row 60 (second 三级 under 预算/决算). 三级 = 4: rows 31, 32, 59, 60.
    // Leaves = 61 − 2 continuation rows = 59. Elements: numbered/labelled parts of every 公开内容 cell.
    slug: "qi-hrss",
    channelStyle: "marks-line",
    expected: { level1: 17, level2: 58, level3: 4, leaves: 59, elements: 118 },
    dataRows: tabbed(6),
  },
  {
    // 001 (PDF text): 9 一级 cells (机关简介, 机关职能及内设机构, 政府信息公开, 政策法规, 行政规范性文件,
    // 财政预决算信息, 重点领域与民生信息, 人大建议、政协提案办理情况, 意见征集及反馈); 13 二级 cells; 4 三级
    // cells (the second 行政规范性文件 / 财政预算、决算信息 / 稳岗就业 / 社会保险); 15 公开内容 cells, none numbered;
    // 9 channel blocks.
    slug: "zalantun-hrss",
    channelStyle: "marks-block",
    expected: { level1: 9, level2: 13, level3: 4, leaves: 15, elements: 15 },
  },
  {
    // 002: 33 tab-separated data rows (lines 6–38). 一级 = 序号 1–16 (11 was lost in the extraction and is
    // inferred). 二级 = 33 rows minus the 4 rows whose 序号 has a blank 事项类别 (序号 3, 6, 14, 16 are 一级
    // leaves) = 29. Elements = 33 cells, 4 of them numbered (5 + 2 + 2 + 2 parts) = 40.
    slug: "liaocheng-hrss",
    channelStyle: "plain-cell",
    expected: { level1: 16, level2: 29, level3: 0, leaves: 33, elements: 40 },
    dataRows: tabbed(5),
  },
  {
    // 004: the header states 6 一级 and 42 二级 items (checked against the source separately below); data rows
    // are the lines whose third cell is a 二级 number 1–42. Elements: 35 single cells + 7 numbered cells
    // (3 + 7 + 6 + 6 + 7 + 6 + 2 parts) = 72.
    slug: "zhongwei-hrss",
    channelStyle: "marks-line",
    expected: { level1: 6, level2: 42, level3: 0, leaves: 42, elements: 72 },
    dataRows: (lines) =>
      lines.flatMap((_, i) => (/^\d+$/.test(cellOf(lines, i + 1, 2).trim()) ? [i + 1] : [])),
    // The 公开依据 cell of row 39 continues after the page break on row 41.
    joinedCells: (lines) => [cellOf(lines, 39, 5) + cellOf(lines, 41, 5)],
  },
];

// ---------------------------------------------------------------------------------------------------------
// Loading and shape validation

/** Parsed as-is; the shape is checked by its own test so that a bad file fails with a readable list. */
function loadCatalog(slug: string): SeedCatalog {
  return JSON.parse(fs.readFileSync(path.join(HERE, `${slug}.json`), "utf8")) as SeedCatalog;
}

function loadSource(file: string): string[] {
  return fs.readFileSync(path.join(SOURCES_DIR, file), "utf8").split("\n");
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === "string";
const isStrArr = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);
const isPosInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0;

/** Checks keys and value types; returns readable errors (empty when the value is a SeedCatalog). */
function shapeErrors(x: unknown): string[] {
  const errs: string[] = [];
  const obj = (
    p: string,
    v: unknown,
    req: Record<string, (v: unknown) => boolean>,
    opt: Record<string, (v: unknown) => boolean> = {},
  ) => {
    if (!isObj(v)) {
      errs.push(`${p}: not an object`);
      return;
    }
    for (const [k, check] of Object.entries(req))
      if (!(k in v) || !check(v[k])) errs.push(`${p}.${k}: missing or invalid`);
    for (const [k, val] of Object.entries(v)) {
      if (k in req) continue;
      const check = opt[k];
      if (!check) errs.push(`${p}.${k}: unknown key`);
      else if (!check(val)) errs.push(`${p}.${k}: invalid`);
    }
  };
  const oneOf =
    (...vals: string[]) =>
    (v: unknown) =>
      Array.isArray(v) && v.every((s) => vals.includes(s as string));
  const any = () => true;
  if (!isObj(x)) return ["catalog: not an object"];
  obj("catalog", x, {
    agency: any,
    source: any,
    header: any,
    columns: Array.isArray,
    items: Array.isArray,
    judgements: Array.isArray,
  });
  obj("agency", x.agency, {
    slug: isStr,
    name: isStr,
    shortName: isStr,
    regionPath: isStrArr,
    departments: isStrArr,
  });
  obj("source", x.source, {
    file: isStr,
    title: isStr,
    format: (v) => ["word", "pdf", "html", "unknown"].includes(v as string),
  });
  const totals = (v: unknown) =>
    isObj(v) &&
    Number.isInteger(v.level1) &&
    Number.isInteger(v.level2) &&
    (v.onRequestLevel2 === undefined || Number.isInteger(v.onRequestLevel2));
  obj(
    "header",
    x.header,
    {},
    {
      responsibleUnit: isStr,
      compiledBy: isStr,
      reviewedBy: isStr,
      signedBy: isStr,
      dateText: isStr,
      date: (v) => isStr(v) && /^\d{4}-\d{2}-\d{2}$/.test(v),
      statedTotalsText: isStr,
      statedTotals: totals,
    },
  );
  (x.columns as unknown[]).forEach((c, i) => {
    obj(`columns[${i}]`, c, { name: isStr }, { sub: isStrArr });
  });
  (x.items as unknown[]).forEach((it, i) => {
    obj(
      `items[${i}]`,
      it,
      {
        id: isStr,
        level: (v) => v === 1 || v === 2 || v === 3,
        name: isStr,
        row: isPosInt,
        elements: Array.isArray,
      },
      {
        parentId: isStr,
        number: isStr,
        deadlineText: isStr,
        legalBasisText: isStr,
        legalBasis: isStrArr,
        subject: isStr,
        channels: isStrArr,
        channelsRow: isPosInt,
        audience: oneOf("全社会", "特定群体"),
        mode: oneOf("主动", "依申请"),
        form: isStr,
        publishingLevel: oneOf("县级", "乡级"),
        responsible: (v) =>
          isObj(v) &&
          isStr(v.text) &&
          isStrArr(v.lead) &&
          isStrArr(v.cooperating) &&
          Object.keys(v).length === 3,
        remarks: isStr,
        extra: (v) => isObj(v) && Object.values(v).every(isStr),
        carried: isStrArr,
        inferred: isStrArr,
      },
    );
    if (isObj(it) && Array.isArray(it.elements)) {
      it.elements.forEach((el, j) => {
        obj(
          `items[${i}].elements[${j}]`,
          el,
          { content: isStr, deadlineText: isStr, row: isPosInt },
          { number: isStr, label: isStr },
        );
      });
    }
  });
  (x.judgements as unknown[]).forEach((j, i) => {
    obj(`judgements[${i}]`, j, { field: isStr, note: isStr }, { row: isPosInt, itemId: isStr });
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const noSpace = (s: string) => s.replace(/\s+/g, "");
const isLeaf = (c: SeedCatalog, it: SeedItem) => !c.items.some((x) => x.parentId === it.id);

function counts(c: SeedCatalog): Counts {
  return {
    level1: c.items.filter((i) => i.level === 1).length,
    level2: c.items.filter((i) => i.level === 2).length,
    level3: c.items.filter((i) => i.level === 3).length,
    leaves: c.items.filter((i) => isLeaf(c, i)).length,
    elements: c.items.reduce((n, i) => n + i.elements.length, 0),
  };
}

interface Mark {
  label: string;
  ticked: boolean;
}

/** Reads ■/□, ☑/☐ and <input [checked] type="checkbox"/> marks; a label runs to the next mark or cell. */
function parseMarks(text: string): Mark[] {
  const s = text
    .replace(/<input checked="" type="checkbox"\/>/g, "■")
    .replace(/<input type="checkbox"\/>/g, "□")
    .replace(/<[^>]+>/g, " ")
    .replace(/☑/g, "■")
    .replace(/☐/g, "□");
  return [...s.matchAll(/([■□])([^■□\t]*)/g)].map((m) => ({
    label: (m[2] ?? "").trim(),
    ticked: m[1] === "■",
  }));
}

/** The source text of an item's channel cell(s), one string per source row to compare with. */
function channelTexts(sc: SeedCase, lines: string[], it: SeedItem): string[] {
  const line = (n: number) => lines[n - 1] ?? "";
  if (sc.channelStyle === "marks-block") {
    const start = it.channelsRow ?? it.row;
    const block: string[] = [];
    for (let n = start; line(n).trim() !== ""; n++) block.push(line(n).trim());
    return [block.join("")];
  }
  const rows = new Set([it.channelsRow ?? it.row]);
  if (!it.carried?.includes("channels")) for (const el of it.elements) rows.add(el.row);
  return [...rows].map(line);
}

/** Every text value of a catalog that must be found verbatim in the source. */
function verbatimValues(c: SeedCatalog): { where: string; value: string }[] {
  const out: { where: string; value: string }[] = [];
  const add = (where: string, value: string | undefined) => {
    if (value !== undefined && value !== "") out.push({ where, value });
  };
  add("agency.name", c.agency.name);
  add("source.title", c.source.title);
  for (const d of c.agency.departments) add("agency.departments", d);
  const h = c.header;
  for (const [k, v] of Object.entries({
    responsibleUnit: h.responsibleUnit,
    compiledBy: h.compiledBy,
    reviewedBy: h.reviewedBy,
    signedBy: h.signedBy,
    dateText: h.dateText,
    statedTotalsText: h.statedTotalsText,
  }))
    add(`header.${k}`, v);
  for (const col of c.columns) {
    add("columns", col.name);
    for (const s of col.sub ?? []) add("columns.sub", s);
  }
  for (const it of c.items) {
    const w = `item ${it.id}`;
    add(`${w}.name`, it.name);
    for (const d of it.deadlineText?.split("\n") ?? []) add(`${w}.deadlineText`, d);
    add(`${w}.legalBasisText`, it.legalBasisText);
    for (const b of it.legalBasis ?? []) add(`${w}.legalBasis`, b);
    add(`${w}.subject`, it.subject);
    add(`${w}.form`, it.form);
    add(`${w}.remarks`, it.remarks);
    for (const v of Object.values(it.extra ?? {})) add(`${w}.extra`, v);
    if (it.responsible) {
      add(`${w}.responsible.text`, it.responsible.text);
      for (const u of [...it.responsible.lead, ...it.responsible.cooperating]) add(`${w}.responsible`, u);
    }
    it.elements.forEach((el, j) => {
      add(`${w}.elements[${j}].label`, el.label);
      add(`${w}.elements[${j}].content`, el.content);
      add(`${w}.elements[${j}].deadlineText`, el.deadlineText);
    });
  }
  return out;
}

const catalogs = new Map(CASES.map((sc) => [sc.slug, loadCatalog(sc.slug)]));
const catalogOf = (slug: string): SeedCatalog => {
  const c = catalogs.get(slug);
  assert.ok(c, slug);
  return c;
};

// ---------------------------------------------------------------------------------------------------------

for (const sc of CASES) {
  describe(`seed catalog ${sc.slug}`, () => {
    const c = catalogOf(sc.slug);
    const lines = loadSource(c.source.file);

    it("matches the SeedCatalog shape (no unknown keys, right value types)", () => {
      assert.deepEqual(shapeErrors(c), []);
    });

    it("is named after its file and slug", () => {
      assert.equal(c.agency.slug, sc.slug);
      assert.match(c.source.file, /^\d{3}_[0-9a-f]{16}\.txt$/);
      assert.ok(c.agency.regionPath.length >= 1);
    });

    it("has the item counts read from the source", () => {
      assert.deepEqual(counts(c), sc.expected);
    });

    it("has unique ids, parents before children, levels one below their parent", () => {
      const seen = new Map<string, SeedItem>();
      for (const it of c.items) {
        assert.ok(!seen.has(it.id), `duplicate id ${it.id}`);
        if (it.level === 1) {
          assert.equal(it.parentId, undefined, `一级事项 ${it.id} has a parent`);
          assert.match(it.id, /^\d+$/);
        } else {
          assert.ok(it.parentId, `item ${it.id} (level ${it.level}) has no parent`);
          const parent = seen.get(it.parentId);
          assert.ok(parent, `item ${it.id}: parent ${it.parentId} missing or after the child`);
          assert.equal(
            parent.level,
            it.level - 1,
            `item ${it.id}: level ${it.level} under level ${parent.level}`,
          );
          assert.ok(
            it.id.startsWith(`${it.parentId}.`),
            `item ${it.id} is not numbered under ${it.parentId}`,
          );
        }
        seen.set(it.id, it);
      }
    });

    it("numbers items uniquely within their parent", () => {
      const byParent = new Map<string, string[]>();
      for (const it of c.items) {
        if (it.number === undefined) continue;
        const key = it.parentId ?? "";
        const nums = byParent.get(key) ?? [];
        assert.ok(!nums.includes(it.number), `number ${it.number} repeated under ${key || "the root"}`);
        nums.push(it.number);
        byParent.set(key, nums);
      }
    });

    it("gives every item a name and every leaf at least one element; parents carry no row data", () => {
      for (const it of c.items) {
        if (!it.inferred?.includes("name")) assert.ok(it.name.trim() !== "", `item ${it.id} has no name`);
        if (isLeaf(c, it)) {
          assert.ok(it.elements.length > 0, `leaf ${it.id} 「${it.name}」 has no element`);
          assert.ok(it.deadlineText, `leaf ${it.id} has no deadlineText`);
          assert.ok(it.channels && it.channels.length > 0, `leaf ${it.id} has no channel`);
          assert.ok(it.mode && it.mode.length > 0, `leaf ${it.id} has no mode`);
          for (const el of it.elements) {
            assert.ok(el.content.trim() !== "", `leaf ${it.id}: empty element`);
            assert.ok(el.deadlineText.trim() !== "", `leaf ${it.id}: element without deadline`);
            assert.ok(
              it.deadlineText.includes(el.deadlineText),
              `leaf ${it.id}: element deadline not in the cell`,
            );
          }
        } else {
          assert.deepEqual(it.elements, [], `parent ${it.id} has elements`);
          for (const k of [
            "deadlineText",
            "legalBasis",
            "subject",
            "channels",
            "audience",
            "mode",
            "form",
            "responsible",
          ] as const)
            assert.equal(it[k], undefined, `parent ${it.id} has ${k}`);
        }
      }
    });

    it("lists only 主动 items (all four seeds are 主动公开 catalogs)", () => {
      for (const it of c.items.filter((i) => isLeaf(c, i)))
        assert.deepEqual(it.mode, ["主动"], `item ${it.id}`);
    });

    it("keeps responsible units and departments consistent", () => {
      const texts = c.items.flatMap((i) => (i.responsible ? [i.responsible.text] : []));
      for (const it of c.items) {
        if (!it.responsible) continue;
        assert.ok(it.responsible.lead.length > 0, `item ${it.id} has no lead unit`);
        for (const u of [...it.responsible.lead, ...it.responsible.cooperating])
          assert.ok(
            it.responsible.text.includes(u),
            `item ${it.id}: unit 「${u}」 not in 「${it.responsible.text}」`,
          );
      }
      assert.equal(new Set(c.agency.departments).size, c.agency.departments.length, "duplicate department");
      for (const d of c.agency.departments)
        assert.ok(
          texts.some((t) => t.includes(d)),
          `department 「${d}」 appears in no responsible cell`,
        );
    });

    it("points judgements at existing items", () => {
      const ids = new Set(c.items.map((i) => i.id));
      for (const j of c.judgements) {
        assert.ok(j.note.trim() !== "" && j.field.trim() !== "");
        if (j.itemId !== undefined) assert.ok(ids.has(j.itemId), `judgement on unknown item ${j.itemId}`);
      }
      for (const it of c.items.filter((i) => i.carried || i.inferred))
        assert.ok(
          c.judgements.some((j) => j.itemId === it.id || (j.itemId === undefined && j.row === it.row)),
          `item ${it.id} has carried/inferred fields but no judgement`,
        );
    });

    it("keeps every text value verbatim from the source", () => {
      const haystack =
        noSpace(lines.join("\n")) + "\u0000" + (sc.joinedCells?.(lines).map(noSpace).join("\u0000") ?? "");
      const missing = verbatimValues(c).filter((v) => !haystack.includes(noSpace(v.value)));
      assert.deepEqual(missing, [], "values not found in the source text");
    });

    it("lists exactly the channels the source ticks, and none it leaves unticked", () => {
      for (const it of c.items.filter((i) => i.channels)) {
        const channels = it.channels ?? [];
        for (const text of channelTexts(sc, lines, it)) {
          if (sc.channelStyle === "plain-cell") {
            assert.deepEqual(parseMarks(text), [], `item ${it.id}: unexpected tick marks`);
            const cells = text.split("\t").map((s) => s.trim());
            for (const ch of channels)
              assert.ok(cells.includes(ch), `item ${it.id}: channel 「${ch}」 not a cell of its row`);
            continue;
          }
          const marks = parseMarks(text);
          assert.ok(marks.length > 0, `item ${it.id}: no channel marks in 「${text.slice(0, 40)}…」`);
          const ticked = [...new Set(marks.filter((m) => m.ticked).map((m) => m.label))];
          const unticked = marks.filter((m) => !m.ticked).map((m) => m.label);
          for (const ch of channels)
            assert.ok(!unticked.includes(ch), `item ${it.id}: 「${ch}」 is unticked in the source`);
          assert.deepEqual(channels, ticked, `item ${it.id}: channels differ from the ticked ones`);
        }
      }
    });

    it("accounts for every catalog row of the source", () => {
      const line = (n: number) => noSpace(lines[n - 1] ?? "");
      for (const it of c.items) {
        if (it.name)
          assert.ok(
            line(it.row).includes(noSpace(it.name).slice(0, 4)),
            `item ${it.id}: row ${it.row} does not hold 「${it.name}」`,
          );
        if (it.carried?.includes("elements")) continue;
        for (const el of it.elements)
          assert.ok(
            line(el.row).includes(noSpace(el.content).slice(0, 4)),
            `item ${it.id}: row ${el.row} does not hold 「${el.content}」`,
          );
      }
      const rows = [...new Set(c.items.flatMap((i) => i.elements.map((e) => e.row)))].sort((a, b) => a - b);
      if (sc.dataRows) {
        assert.deepEqual(rows, sc.dataRows(lines), "element rows differ from the source's data rows");
      } else {
        // PDF text: one channel block per group of rows, each starting with the ticked 「■政府网站」.
        const blocks = lines.flatMap((l, i) => (l.trim().startsWith("■") ? [i + 1] : []));
        const used = [...new Set(c.items.flatMap((i) => (i.channelsRow ? [i.channelsRow] : [])))].sort(
          (a, b) => a - b,
        );
        assert.deepEqual(used, blocks);
        assert.equal(rows.length, sc.expected.leaves);
      }
    });
  });
}

describe("seed 004 stated totals (主动公开一级事项6项，二级事项42项；依申请公开二级事项0项)", () => {
  const c = catalogOf("zhongwei-hrss");

  it("holds the data to the totals the header states", () => {
    const stated = c.header.statedTotals;
    assert.ok(stated, "header.statedTotals missing");
    assert.deepEqual(stated, { level1: 6, level2: 42, onRequestLevel2: 0 });
    const level2 = c.items.filter((i) => i.level === 2);
    assert.equal(c.items.filter((i) => i.level === 1).length, stated.level1);
    assert.equal(level2.filter((i) => i.mode?.includes("主动")).length, stated.level2);
    assert.equal(level2.filter((i) => i.mode?.includes("依申请")).length, stated.onRequestLevel2);
    assert.deepEqual(
      level2.map((i) => i.number),
      Array.from({ length: 42 }, (_, k) => String(k + 1)),
    );
  });

  it("reads the same totals from the source header", () => {
    const lines = loadSource(c.source.file);
    const m = lines.join("\n").match(/主动公开一级事项(\d+)项，二级事项(\d+)项；依申请公开二级事项(\d+)项/);
    assert.ok(m, "stated totals not found in the source");
    assert.deepEqual(c.header.statedTotals, {
      level1: Number(m[1]),
      level2: Number(m[2]),
      onRequestLevel2: Number(m[3]),
    });
    assert.ok(c.header.statedTotalsText && m[0] && c.header.statedTotalsText.includes(m[0]));
  });
});

describe("seed catalogs as a set", () => {
  it("infers a missing name only for 聊城 一级事项 11 (lost in the extraction)", () => {
    const inferredNames = CASES.flatMap((sc) =>
      catalogOf(sc.slug)
        .items.filter((i) => i.inferred?.includes("name"))
        .map((i) => `${sc.slug}#${i.number}:${i.name}`),
    );
    assert.deepEqual(inferredNames, ["liaocheng-hrss#11:"]);
  });

  it("uses distinct slugs and source files", () => {
    const all = [...catalogs.values()];
    assert.equal(new Set(all.map((c) => c.agency.slug)).size, all.length);
    assert.equal(new Set(all.map((c) => c.source.file)).size, all.length);
  });
});
