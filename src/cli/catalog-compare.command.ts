/**
 * @module `gongkai catalog compare --agency A (--with B | --standard FILE) [--json]`: an agency's published catalog
 * against another agency's or a standard catalog (基层政务公开标准目录, any file the catalog import reads). Prints
 * the matched items (exact, or probable for a person to confirm), items missing from the agency's catalog, items
 * it adds, and weaker commitments (longer deadlines, fewer channels, 依申请 instead of 主动).
 */
import fs from "node:fs";
import path from "node:path";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { CatalogDoc } from "../catalog/catalog.model.ts";
import { getPublishedCatalog, parseCatalogFile, treeToDoc } from "../catalog/catalog.service.ts";
import { type CatalogComparison, compareCatalogs } from "../catalog/catalog-compare.rules.ts";
import type { Db } from "../db/database.ts";
import { CliError, type CliIo, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE = "gongkai catalog compare --agency <slug> (--with <slug> | --standard FILE) [--json]";

async function publishedDoc(db: Db, slug: string): Promise<{ name: string; doc: CatalogDoc }> {
  const agency = await getAgencyBySlug(db, slug);
  const tree = await getPublishedCatalog(db, agency.id);
  if (!tree) throw new CliError(`${agency.name}（${slug}）尚未发布主动公开事项目录`);
  return { name: agency.name, doc: treeToDoc(tree) };
}

function printHuman(io: CliIo, c: CatalogComparison): void {
  const s = c.summary;
  io.out(
    `${c.agency} 对照 ${c.reference}：本机关${s.agencyItems}项，参照${s.referenceItems}项；匹配${s.matched}项（名称一致${s.exact}项，待确认${s.probable}项），缺少${s.missing}项，新增${s.added}项；时限弱于参照${s.weakerDeadlines}项，渠道少于参照${s.fewerChannels}项，依申请代替主动${s.weakerMode}项。\n`,
  );
  for (const m of c.matches) {
    const notes = [
      m.kind === "probable" ? `待确认（相似度${Math.round(m.score * 100)}%）` : "",
      m.deadline.verdict === "weaker" ? `时限弱于参照（${m.deadline.agency} ↔ ${m.deadline.reference}）` : "",
      m.deadline.verdict === "missing" ? `未写公开时限（参照：${m.deadline.reference}）` : "",
      m.channelsMissing.length ? `缺少渠道：${m.channelsMissing.join("、")}` : "",
      m.modeWeaker ? "参照为主动公开，本机关为依申请公开" : "",
    ].filter(Boolean);
    if (notes.length)
      io.out(`  ${m.agency.path.join(" / ")} ↔ ${m.reference.path.join(" / ")}：${notes.join("；")}\n`);
  }
  for (const m of c.missing) io.out(`  缺少：${m.path.join(" / ")}\n`);
  for (const m of c.added) io.out(`  新增：${m.path.join(" / ")}\n`);
}

export const catalogCompareCommand: Command = {
  name: "catalog compare",
  summary: "对照标准目录或其他机关比较目录 / compare a catalog with a standard catalog or another agency's",
  usage: USAGE,
  options: {
    agency: { type: "string" },
    with: { type: "string" },
    standard: { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values }, io) {
    const slug = requireString(values, "agency", USAGE);
    const other = typeof values.with === "string" && values.with.trim() !== "" ? values.with.trim() : null;
    const standard =
      typeof values.standard === "string" && values.standard.trim() !== "" ? values.standard.trim() : null;
    if ((other === null) === (standard === null))
      throw new CliError(`give exactly one of --with or --standard\nusage: ${USAGE}`, 2);
    let standardDoc: CatalogDoc | null = null;
    if (standard) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(standard);
      } catch (e) {
        throw new CliError(`cannot read ${standard}: ${(e as Error).message}`, 2);
      }
      standardDoc = (await parseCatalogFile(path.basename(standard), bytes)).preview.doc;
    }
    return withRuntime(async ({ deps }) => {
      const mine = await publishedDoc(deps.db, slug);
      const reference = standardDoc
        ? { name: standardDoc.title, doc: standardDoc }
        : await publishedDoc(deps.db, other as string);
      const result = compareCatalogs(mine.doc, reference.doc, {
        agency: mine.name,
        reference: reference.name,
      });
      if (values.json) printJson(io, result);
      else printHuman(io, result);
      return 0;
    });
  },
};
