/**
 * @module `gongkai catalog compare --agency A (--with B | --standard FILE) [--json]`: an agency's published catalog
 * against another agency's or a standard catalog (基层政务公开标准目录, any file the catalog import reads). Prints
 * the matched items (exact, or probable for a person to confirm), items missing from the agency's catalog, items
 * it adds, and weaker commitments (longer deadlines, fewer channels, 依申请 instead of 主动).
 */
import fs from "node:fs";
import path from "node:path";
import { systemActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { CatalogDoc } from "../catalog/catalog.model.ts";
import { type CatalogComparison, compareCatalogs } from "../catalog/catalog-compare.rules.ts";
import { parseCatalogFile } from "../catalog/catalog-import.service.ts";
import { getPublishedCatalog, treeToDoc } from "../catalog/catalog-tree.service.ts";
import {
  getStandardCatalog,
  listStandardCatalogs,
  loadStandardCatalog,
} from "../catalog/standard-catalog.service.ts";
import type { Db } from "../db/database.ts";
import { CliError, type CliIo, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE =
  "gongkai catalog compare --agency <slug> (--with <slug> | --standard <standard-slug>|FILE) [--json]";

async function publishedDoc(db: Db, slug: string): Promise<{ name: string; doc: CatalogDoc }> {
  const agency = await getAgencyBySlug(db, slug);
  const tree = await getPublishedCatalog(db, agency.id);
  if (!tree) throw new CliError(`${agency.name}（${slug}）尚未发布主动公开事项目录`);
  return { name: agency.name, doc: treeToDoc(tree) };
}

function printHuman(io: CliIo, c: CatalogComparison): void {
  const s = c.summary;
  io.stdout.write(
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
      io.stdout.write(
        `  ${m.agency.path.join(" / ")} ↔ ${m.reference.path.join(" / ")}：${notes.join("；")}\n`,
      );
  }
  for (const m of c.missing) io.stdout.write(`  缺少：${m.path.join(" / ")}\n`);
  for (const m of c.added) io.stdout.write(`  新增：${m.path.join(" / ")}\n`);
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
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", USAGE);
    const other = typeof values.with === "string" && values.with.trim() !== "" ? values.with.trim() : null;
    const standard =
      typeof values.standard === "string" && values.standard.trim() !== "" ? values.standard.trim() : null;
    if ((other === null) === (standard === null))
      throw new CliError(`give exactly one of --with or --standard\nusage: ${USAGE}`, 2);
    // --standard names a loaded standard catalog (gongkai catalog standard list) or a file to read directly.
    let standardBytes: Buffer | null = null;
    if (standard && fs.existsSync(standard)) {
      try {
        standardBytes = fs.readFileSync(standard);
      } catch (e) {
        throw new CliError(`cannot read ${standard}: ${(e as Error).message}`, 2);
      }
    } else if (standard && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(standard))
      throw new CliError(
        `--standard: no such file or loaded standard catalog “${standard}”\nusage: ${USAGE}`,
        2,
      );
    return withRuntime(
      async ({ deps }) => {
        const mine = await publishedDoc(deps.db, slug);
        // A file is parsed in the document worker pool like every uploaded file.
        const standardDoc: CatalogDoc | null =
          standard && standardBytes
            ? (await parseCatalogFile(path.basename(standard), standardBytes, deps.documents)).preview.doc
            : null;
        let reference: { name: string; doc: CatalogDoc };
        if (standardDoc) reference = { name: standardDoc.title, doc: standardDoc };
        else if (standard) {
          const loaded = await getStandardCatalog(deps.db, standard);
          reference = { name: loaded.info.name, doc: loaded.doc };
        } else reference = await publishedDoc(deps.db, other as string);
        const result = compareCatalogs(mine.doc, reference.doc, {
          agency: mine.name,
          reference: reference.name,
        });
        if (values.json) printJson(io, result);
        else printHuman(io, result);
        return 0;
      },
      { io, env },
    );
  },
};

const LOAD_USAGE =
  "gongkai catalog standard load --slug <slug> --file FILE [--name 名称] [--field 领域] [--source 来源] [--replace]";

export const catalogStandardLoadCommand: Command = {
  name: "catalog standard",
  summary: "载入或列出标准目录（基层政务公开标准目录） / load or list reference (standard) catalogs",
  usage: `${LOAD_USAGE}\n       gongkai catalog standard list [--json]`,
  positionals: true,
  options: {
    slug: { type: "string" },
    file: { type: "string" },
    name: { type: "string" },
    field: { type: "string" },
    source: { type: "string" },
    replace: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values, positionals }, io, env) {
    const action = positionals[0];
    if (action === "list")
      return withRuntime(
        async ({ deps }) => {
          const list = await listStandardCatalogs(deps.db);
          if (values.json) printJson(io, list);
          else
            for (const s of list)
              io.stdout.write(`${s.slug}\t${s.name}\t${s.field || "—"}\t${s.itemCount}项\t${s.source}\n`);
          return 0;
        },
        { io, env },
      );
    if (action !== "load") throw new CliError(`expected "load" or "list"\nusage: ${LOAD_USAGE}`, 2);
    const slug = requireString(values, "slug", LOAD_USAGE);
    const file = requireString(values, "file", LOAD_USAGE);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`, 2);
    }
    const opt = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
    return withRuntime(
      async ({ deps }) => {
        const loaded = await loadStandardCatalog(deps, {
          slug,
          name: opt("name"),
          field: opt("field"),
          source: opt("source"),
          fileName: path.basename(file),
          bytes,
          actor: systemActor("命令行"),
          replace: values.replace === true,
          documents: deps.documents,
        });
        if (values.json) printJson(io, loaded);
        else io.stdout.write(`已载入标准目录《${loaded.name}》（${loaded.slug}，${loaded.itemCount}项）。\n`);
        return 0;
      },
      { io, env },
    );
  },
};
