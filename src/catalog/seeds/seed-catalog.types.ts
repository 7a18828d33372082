/**
 * @module Shape of the curated seed catalogs (主动公开事项目录) in this folder.
 *
 * Each JSON file here copies one real agency's published catalog, taken from the extracted text in
 * src/catalog/seeds/sources/. The data keeps the source's wording, typos included: nothing is "fixed". Some values
 * could not be read mechanically: a row the extraction shifted, a merged cell that had to be carried down, a
 * cell broken across PDF lines, or a tick whose column was lost. Each of these is listed in `judgements`,
 * with the source line and the reasoning.
 *
 * Conventions:
 * - "row" is always the 1-based line number in the seed .txt file (what `sed -n Np` / `cat -n` shows).
 * - Text values are verbatim. The only change: whitespace between two CJK characters that comes from a
 *   line break inside a narrow cell (e.g. 「机构 信息」) is removed from names and column headings, and a
 *   judgement records each case.
 * - An item's content lives on its leaves. Parent items (a 一级事项 with 二级事项 under it) have no
 *   elements and none of the per-row fields (deadline, channels, …). A 一级事项 with no children is a leaf.
 */

/** 公开对象 */
export type SeedAudience = "全社会" | "特定群体";
/** 公开方式 (主动公开 / 依申请公开) */
export type SeedMode = "主动" | "依申请";
/** 公开层级 (no seed so far has this column) */
export type SeedPublishingLevel = "县级" | "乡级";
/**
 * What the seed text was extracted from. "unknown" means the text gives no evidence (see the
 * source.format judgement).
 */
export type SeedSourceFormat = "word" | "pdf" | "html" | "unknown";

export interface SeedCatalog {
  agency: SeedAgency;
  source: SeedSource;
  /** 表头/表尾 data. Empty when the source has none. */
  header: SeedHeader;
  /** The source's column headings, in order. */
  columns: SeedColumn[];
  /** Items in document order: each parent comes before its children. */
  items: SeedItem[];
  /** Every value that had to be reconstructed, carried down or interpreted, and why. */
  judgements: SeedJudgement[];
}

export interface SeedAgency {
  /** Stable slug of this seed, e.g. "zalantun-hrss". */
  slug: string;
  /** Full name as the seed writes it (seed 000 only ever says 「旗人社局」). */
  name: string;
  /** Conventional short name (our abbreviation unless the seed itself only uses a short form). */
  shortName: string;
  /**
   * Region hierarchy the agency sits under, from the top: 省/自治区, 市/盟, 县/旗.
   * Only as deep as the source shows (seed 000: just 「内蒙古自治区」).
   */
  regionPath: string[];
  /**
   * Concrete 股室/科室/单位 names found in the responsible-unit column, deduplicated, in order of first use.
   * Group designations such as 「所有科室、单位」 or 「局属各单位」 are left out; they stay in items'
   * `responsible`.
   */
  departments: string[];
}

export interface SeedSource {
  /** File name in src/catalog/seeds/sources/. */
  file: string;
  /** The catalog's title as written. */
  title: string;
  format: SeedSourceFormat;
}

export interface SeedHeader {
  /** 责任单位 line above the table. */
  responsibleUnit?: string;
  /** 填表人 */
  compiledBy?: string;
  /** 复核人 */
  reviewedBy?: string;
  /** 审签人 */
  signedBy?: string;
  /** 填表时间 as written, e.g. 「2022年12月18日」. */
  dateText?: string;
  /** 填表时间 as YYYY-MM-DD. */
  date?: string;
  /** The stated-totals sentence, verbatim. */
  statedTotalsText?: string;
  /** Totals the source states about itself (主动公开一级事项6项，二级事项42项；依申请公开二级事项0项). */
  statedTotals?: { level1: number; level2: number; onRequestLevel2?: number };
}

export interface SeedColumn {
  /** Heading as written (without line-break spaces). */
  name: string;
  /** Sub-headings under a spanning heading, e.g. 公开对象 → [全社会, 特定群体]. */
  sub?: string[];
}

export interface SeedItem {
  /**
   * Our positional id, not from the source: "3", "3.2", "3.2.1" (nth 一级事项, its nth child, …).
   * Unique within the file.
   */
  id: string;
  /** id of the parent item; absent for 一级事项. */
  parentId?: string;
  /** 1 = 一级事项, 2 = 二级事项, 3 = 三级事项. */
  level: 1 | 2 | 3;
  /** Numbering as the source prints it ("一", "12"); absent when the source has none. */
  number?: string;
  /** Item name as written. Empty only when the source lost it, and then `inferred` contains "name". */
  name: string;
  /** Source line where the item's row (its name cell) starts. */
  row: number;
  /**
   * 公开内容（要素）. A numbered or labelled multi-part cell (「1. 办事指南：… 2. 办理结果：…」) gives one
   * element per part; an unnumbered cell gives a single element. Empty on parent items.
   */
  elements: SeedElement[];
  /**
   * The whole 公开时限 cell, verbatim. When the item spans several source rows (its name cell is merged
   * downwards), the distinct cells of those rows are joined with "\n" in row order.
   */
  deadlineText?: string;
  /** The whole 公开依据 cell, verbatim (only catalogs that have the column). */
  legalBasisText?: string;
  /** 公开依据 split into single citations, each as written (separators ；/; and a final 。 dropped). */
  legalBasis?: string[];
  /** 公开主体 */
  subject?: string;
  /**
   * 公开渠道和载体: only the channels the source marks as ticked (■, ☑, <input checked>), or, when the
   * column is plain text (seed 002), the cell's text. Unticked channels are never listed.
   */
  channels?: string[];
  /** Source line where this item's channel cell starts, when it is not on `row` (PDF blocks, merged cells). */
  channelsRow?: number;
  /** 公开对象 (ticked columns). */
  audience?: SeedAudience[];
  /** 公开方式. Catalogs without the column derive it from their title (see the "mode" judgement). */
  mode?: SeedMode[];
  /** Form of publication as written, e.g. 「全文发布」, 「摘要发布」, 「全文或摘要发布」. */
  form?: string;
  /** 公开层级 */
  publishingLevel?: SeedPublishingLevel[];
  /** 责任股室/科室/单位 */
  responsible?: SeedResponsible;
  /** 备注 */
  remarks?: string;
  /** Cells of columns this shape has no field for, by heading. */
  extra?: Record<string, string>;
  /**
   * Fields not written on this item's own row, copied from a merged cell of an earlier row
   * ("deadlineText", "legalBasis", "subject", "channels", "audience", "responsible", "elements").
   */
  carried?: string[];
  /** Fields the source does not contain at all and that were inferred ("number", "name"). */
  inferred?: string[];
}

export interface SeedElement {
  /** The part's ordinal as printed ("1", "2"…); absent when the part is unnumbered. */
  number?: string;
  /** The part's label before ：/:, e.g. 办事指南, 办理结果. */
  label?: string;
  /** The part's text, without ordinal, label and trailing list separator (；;，,). */
  content: string;
  /**
   * The deadline that applies to this part. When the 公开时限 cell is itself split into parts, this is the
   * matching part (paired by label, otherwise by number). Otherwise it is the whole cell.
   */
  deadlineText: string;
  /** Source line where this part's content starts. */
  row: number;
}

export interface SeedResponsible {
  /** The cell as written. */
  text: string;
  /** Leading units (牵头), or every listed unit when the cell does not distinguish. */
  lead: string[];
  /** Cooperating units (配合). */
  cooperating: string[];
}

export interface SeedJudgement {
  /** Source line concerned; absent for catalog-wide notes. */
  row?: number;
  /** Item concerned, if any. */
  itemId?: string;
  /** Field (or aspect) that was judged, e.g. "deadlineText", "level", "channels". */
  field: string;
  /** What was reconstructed and why, and the alternative readings that were rejected. */
  note: string;
}
