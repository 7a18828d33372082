/**
 * The import-rule checker behind src/architecture.test.ts: pure functions over a set of source files, so the test
 * can also run them on synthetic input (a checker that cannot fail proves nothing).
 *
 * Rules (docs/architecture.md, "What may import what"):
 * 1. A feature imports another feature only through that feature's public modules: `index.ts`, `*.read.ts` and
 *    the modules listed in PUBLIC_MODULES. shared/, http/, db/, legal/ and the root modules (errors, events, deps, config)
 *    are open to all.
 * 2. No cycle between features (feature A imports B and B, directly or not, imports A).
 * 3. No feature's source names another feature's table in SQL (Kysely builders or raw sql). Table owners come from
 *    src/db/database.ts (each table's row type is imported from its feature's *.table.ts); every table a migration
 *    creates must have an owner.
 * Test files (`*.test.ts`), fixtures (`*.fixtures.ts`) and benchmarks are exempt: tests may set up data through
 * the owning feature's factories.
 */
import path from "node:path";

/** Top-level folders of src/ that are not features (plumbing and statutory code lists every feature may use). */
export const NON_FEATURES = new Set([
  "shared",
  "http",
  "db",
  "cli",
  "legal",
  "documents",
  "jobs",
  "metrics",
  "ops",
  "messaging",
]);

/** Modules other features may import, besides `index.ts` and `*.read.ts` (paths relative to src/). */
export const PUBLIC_MODULES: ReadonlySet<string> = new Set([
  "accounts/policy.ts",
  "agencies/agency.service.ts",
  "agencies/demo-agencies.ts",
  "audit/audit.service.ts",
  "calendar/calendar.service.ts",
]);

export interface SourceFile {
  /** Path relative to src/, with forward slashes (e.g. "portal/portal.routes.ts"). */
  path: string;
  text: string;
}

export interface Violation {
  rule: "internal-import" | "cycle" | "foreign-table";
  file: string;
  detail: string;
}

/** The feature a path belongs to, or null for plumbing and root modules. */
export function featureOf(relPath: string): string | null {
  const parts = relPath.split("/");
  if (parts.length < 2) return null;
  const top = parts[0] as string;
  return NON_FEATURES.has(top) ? null : top;
}

export function isExempt(relPath: string): boolean {
  return /\.(test|fixtures|bench|bench-corpus)\.ts$/.test(relPath) || relPath.includes("/migrations/");
}

export function isPublicModule(relPath: string): boolean {
  const base = path.posix.basename(relPath);
  return base === "index.ts" || base.endsWith(".read.ts") || PUBLIC_MODULES.has(relPath);
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

/** Relative imports of a file, resolved to paths relative to src/. */
export function importsOf(file: SourceFile): string[] {
  const out: string[] = [];
  for (const m of file.text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith(".")) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file.path), spec)));
  }
  return out;
}

/** Rule 1: imports of another feature's internal modules. */
export function internalImports(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const file of files) {
    const from = featureOf(file.path);
    if (!from || isExempt(file.path)) continue;
    for (const target of importsOf(file)) {
      const to = featureOf(target);
      if (!to || to === from || isPublicModule(target)) continue;
      out.push({ rule: "internal-import", file: file.path, detail: target });
    }
  }
  return out;
}

/** The feature graph (A → B when a non-exempt file of A imports any module of B). */
export function featureGraph(files: readonly SourceFile[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = featureOf(file.path);
    if (!from || isExempt(file.path)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const target of importsOf(file)) {
      const to = featureOf(target);
      if (to && to !== from) graph.get(from)?.add(to);
    }
  }
  return graph;
}

/** Rule 2: every cycle of the feature graph, each reported once (as its strongly connected component). */
export function featureCycles(files: readonly SourceFile[]): Violation[] {
  const graph = featureGraph(files);
  // Tarjan's strongly connected components.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return components.map((c) => ({
    rule: "cycle" as const,
    file: c.join(" ↔ "),
    detail: edgesWithin(graph, c),
  }));
}

function edgesWithin(graph: Map<string, Set<string>>, component: string[]): string {
  const inside = new Set(component);
  return component
    .flatMap((a) => [...(graph.get(a) ?? [])].filter((b) => inside.has(b)).map((b) => `${a}→${b}`))
    .join(", ");
}

/** Tables created by the migrations (createTable("x") or CREATE TABLE x). */
export function tablesCreated(migrations: readonly SourceFile[]): Set<string> {
  const out = new Set<string>();
  for (const m of migrations)
    for (const hit of m.text.matchAll(
      /createTable\(\s*["']([a-z_]+)["']|CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g,
    ))
      out.add((hit[1] ?? hit[2]) as string);
  return out;
}

/** Table → owning feature, read from src/db/database.ts (the row type of each table comes from a feature). */
export function tableOwners(databaseTs: string): Map<string, string> {
  const typeToFeature = new Map<string, string>();
  for (const m of databaseTs.matchAll(/import\s+type\s*\{([^}]*)\}\s*from\s*["']\.\.\/([a-z-]+)\//g))
    for (const name of (m[1] as string).split(",").map((s) => s.trim()))
      if (name) typeToFeature.set(name, m[2] as string);
  const body = databaseTs.slice(databaseTs.indexOf("interface Database"));
  const owners = new Map<string, string>();
  for (const m of body.matchAll(/^\s*([a-z_]+):\s*([A-Za-z]+);/gm)) {
    const feature = typeToFeature.get(m[2] as string);
    if (feature) owners.set(m[1] as string, feature);
  }
  return owners;
}

const BUILDER =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto|using)\(\s*\[?\s*["'`]([a-z_]+)/g;
const RAW = /\b(?:from|join|into|update|references)\s+([a-z_]+)\b/gi;

/** Tables a source file names in SQL: Kysely builder calls, and raw SQL inside sql`…` templates. */
export function tablesNamed(text: string, known: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(BUILDER)) if (known.has(m[1] as string)) out.add(m[1] as string);
  for (const template of text.matchAll(/sql(?:<[^>`]*>)?`([^`]*)`/g))
    for (const m of (template[1] as string).matchAll(RAW)) {
      const t = (m[1] as string).toLowerCase();
      if (known.has(t)) out.add(t);
    }
  return out;
}

/** Rule 3: a feature's source naming another feature's table. */
export function foreignTables(
  files: readonly SourceFile[],
  owners: ReadonlyMap<string, string>,
): Violation[] {
  const known = new Set(owners.keys());
  const out: Violation[] = [];
  for (const file of files) {
    const feature = featureOf(file.path);
    if (!feature || isExempt(file.path)) continue;
    for (const table of tablesNamed(file.text, known)) {
      const owner = owners.get(table);
      if (owner && owner !== feature)
        out.push({ rule: "foreign-table", file: file.path, detail: `${table} (owned by ${owner})` });
    }
  }
  return out;
}

export function formatViolation(v: Violation): string {
  return `${v.rule}: ${v.file} → ${v.detail}`;
}
