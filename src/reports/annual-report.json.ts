/**
 * @module JSON export and import of the annual report, every table cell keyed by its official label
 * (国办公开办函〔2021〕30号), nested as the merged headers nest: e.g.
 * `["三、收到和处理政府信息公开申请情况"]["三、本年度办理结果"]["（三）不予公开"]["1.属于国家秘密"]["法人或其他组织"]["商业企业"]`.
 */

import {
  APPLICATION_COLUMNS,
  APPLICATION_ROWS,
  type ApplicationColumnCode,
  type ApplicationRowDefinition,
  CASE_BLOCKS,
  CASE_RESULTS,
  FORMAT_BASIS,
  ORGANISATION_HEADER,
  PROACTIVE_SUBTABLES,
  PROCESSING_FEE_FIELDS,
  PROCESSING_FEE_HEADING,
  RESULTS_GROUP_LABEL,
  reportTitle,
  sectionTitle,
} from "./annual-report.format.ts";
import { type AnnualReportData, emptyReport, getCell, setCell } from "./annual-report.rules.ts";

/** Keys of the non-table fields (ours, not official labels). */
export const JSON_KEYS = {
  format: "格式",
  title: "标题",
  agencyName: "机关名称",
  year: "年度",
  otherMattersText: "正文",
} as const;

type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | JsonObject;

interface CellMapping {
  dataPath: readonly string[];
  jsonPath: readonly string[];
}

function columnJsonPath(code: ApplicationColumnCode): string[] {
  const column = APPLICATION_COLUMNS.find((c) => c.code === code);
  if (!column) throw new Error(`unknown column ${code}`);
  return column.organisation ? [ORGANISATION_HEADER, column.label] : [column.label];
}

function rowJsonPath(row: ApplicationRowDefinition): string[] {
  if (row.level === "top") return [row.label];
  if (row.level === "result") return [RESULTS_GROUP_LABEL, row.label];
  return [RESULTS_GROUP_LABEL, row.groupLabel ?? "", row.label];
}

function buildMappings(): CellMapping[] {
  const out: CellMapping[] = [];
  const proactiveTitle = sectionTitle("proactive");
  for (const sub of PROACTIVE_SUBTABLES) {
    for (const row of sub.rows) {
      for (const column of sub.columns) {
        out.push({
          dataPath: ["proactive", sub.code, row.code, column.code],
          jsonPath: [proactiveTitle, sub.heading, row.label, column.label],
        });
      }
    }
  }
  const applicationsTitle = sectionTitle("applications");
  for (const row of APPLICATION_ROWS) {
    for (const column of APPLICATION_COLUMNS) {
      out.push({
        dataPath: ["applications", row.code, column.code],
        jsonPath: [applicationsTitle, ...rowJsonPath(row), ...columnJsonPath(column.code)],
      });
    }
  }
  const casesTitle = sectionTitle("review_litigation");
  for (const block of CASE_BLOCKS) {
    for (const result of CASE_RESULTS) {
      out.push({
        dataPath: ["reviewLitigation", block.code, result.code],
        jsonPath: [casesTitle, ...(block.parent ? [block.parent] : []), block.label, result.label],
      });
    }
  }
  const otherTitle = sectionTitle("other_matters");
  for (const field of PROCESSING_FEE_FIELDS) {
    out.push({
      dataPath: ["processingFees", field.code],
      jsonPath: [otherTitle, PROCESSING_FEE_HEADING, field.label],
    });
  }
  return out;
}

const MAPPINGS: readonly CellMapping[] = buildMappings();

function setJson(target: JsonObject, path: readonly string[], value: JsonValue): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (typeof next !== "object") current[key] = {};
    current = current[key] as JsonObject;
  }
  const last = path[path.length - 1];
  if (last === undefined) throw new Error("empty JSON path");
  current[last] = value;
}

/** The report as a plain object keyed by the official labels (section order preserved). */
export function annualReportToJson(data: AnnualReportData): JsonObject {
  const out: JsonObject = {
    [JSON_KEYS.format]: FORMAT_BASIS,
    [JSON_KEYS.title]: reportTitle(data.agencyName, data.year),
    [JSON_KEYS.agencyName]: data.agencyName,
    [JSON_KEYS.year]: data.year,
    [sectionTitle("overview")]: data.overview,
  };
  // Insert the sections in official order: tables 二–四, then 五, then 六.
  const tableMappings = MAPPINGS.filter((m) => m.dataPath[0] !== "processingFees");
  for (const mapping of tableMappings) {
    setJson(out, mapping.jsonPath, jsonNumber(getCell(data, mapping.dataPath)));
  }
  out[sectionTitle("problems")] = data.problems;
  out[sectionTitle("other_matters")] = { [JSON_KEYS.otherMattersText]: data.otherMatters };
  for (const mapping of MAPPINGS.filter((m) => m.dataPath[0] === "processingFees")) {
    setJson(out, mapping.jsonPath, jsonNumber(getCell(data, mapping.dataPath)));
  }
  return out;
}

/** Serialised JSON (2-space indent, UTF-8 text). */
export function annualReportJsonString(data: AnnualReportData): string {
  return `${JSON.stringify(annualReportToJson(data), null, 2)}\n`;
}

function readPath(value: unknown, path: readonly string[]): unknown {
  return getCell(value, path);
}

/** A cell value for JSON: decimals (万元, 元) rounded to 6 places to drop floating-point noise. */
function jsonNumber(value: unknown): number {
  if (typeof value !== "number") return Number.NaN;
  return Number.isInteger(value) ? value : Number(value.toFixed(6));
}

/**
 * Reads a report from JSON in the format produced by `annualReportToJson` (e.g. a subordinate organ's report
 * for aggregation). Throws an Error naming the first missing or non-numeric cell. Consistency is not checked
 * here: run `checkAnnualReport` on the result.
 */
export function annualReportFromJson(value: unknown): AnnualReportData {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("年度报告 JSON 应为对象。");
  }
  const year = readPath(value, [JSON_KEYS.year]);
  if (typeof year !== "number" || !Number.isInteger(year))
    throw new Error(`JSON 中“${JSON_KEYS.year}”应为整数。`);
  const agencyName = readPath(value, [JSON_KEYS.agencyName]);
  if (typeof agencyName !== "string") throw new Error(`JSON 中“${JSON_KEYS.agencyName}”应为文本。`);
  const data = emptyReport(year, agencyName);
  const text = (path: readonly string[]): string => {
    const v = readPath(value, path);
    if (v === undefined) return "";
    if (typeof v !== "string") throw new Error(`JSON 中“${path.join(" / ")}”应为文本。`);
    return v;
  };
  data.overview = text([sectionTitle("overview")]);
  data.problems = text([sectionTitle("problems")]);
  data.otherMatters = text([sectionTitle("other_matters"), JSON_KEYS.otherMattersText]);
  for (const mapping of MAPPINGS) {
    const v = readPath(value, mapping.jsonPath);
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`JSON 中“${mapping.jsonPath.join(" / ")}”缺失或不是数字。`);
    }
    setCell(data, mapping.dataPath, v);
  }
  return data;
}
