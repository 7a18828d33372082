/**
 * The module-state checker behind src/architecture.test.ts ("no process globals", docs/architecture.md): finds
 * mutable state at the top level of a module — a `let`/`var`, or a `const` holding a Map, Set, WeakMap, WeakSet,
 * array or object literal that the module mutates (`.set(`, `.add(`, `.push(`, `x[k] = …`, `delete x.k`, …). Such
 * state would be shared by every Deps of the process (tests, the CLI, two apps in one process); it belongs in an
 * object createDeps builds. Parsed with the TypeScript compiler, so strings and comments never count.
 */
import ts from "typescript";

export interface SourceText {
  /** Path relative to src/, with forward slashes. */
  path: string;
  text: string;
}

export interface ModuleState {
  file: string;
  name: string;
  kind: "let" | "mutated-const";
}

const CONTAINERS = new Set(["Map", "Set", "WeakMap", "WeakSet", "Array"]);
const MUTATORS = new Set([
  "set",
  "add",
  "delete",
  "clear",
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "copyWithin",
]);

/** Test code, benches and their fixtures may keep state of their own run. */
export function isTestCode(relPath: string): boolean {
  return /\.(test|bench|fixtures)\.ts$/.test(relPath);
}

/** `new Map(…)`, `new Set(…)`, `[]`, `{}` (the mutable containers a module could fill). */
function isContainer(init: ts.Expression | undefined): boolean {
  if (!init) return false;
  let e = init;
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))
    e = e.expression;
  if (ts.isNewExpression(e)) return ts.isIdentifier(e.expression) && CONTAINERS.has(e.expression.text);
  return ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e);
}

/** The identifier an expression writes through: `x`, `x.a`, `x[k]`, `x.a.b` → x. */
function rootName(e: ts.Expression): string | undefined {
  let cur = e;
  while (ts.isPropertyAccessExpression(cur) || ts.isElementAccessExpression(cur)) cur = cur.expression;
  return ts.isIdentifier(cur) ? cur.text : undefined;
}

/** Names whose contents the module mutates anywhere (calls of mutating methods, element/property writes). */
function mutatedNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      MUTATORS.has(node.expression.name.text)
    ) {
      const name = rootName(node.expression.expression);
      if (name) out.add(name);
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left))
    ) {
      const name = rootName(node.left);
      if (name) out.add(name);
    }
    if (ts.isDeleteExpression(node)) {
      const name = rootName(node.expression);
      if (name) out.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function moduleState(file: SourceText): ModuleState[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: ModuleState[] = [];
  const containers: string[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    const list = stmt.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const decl of list.declarations) {
      if (!ts.isIdentifier(decl.name)) continue; // destructuring at the top level: constants in practice
      if (!isConst) out.push({ file: file.path, name: decl.name.text, kind: "let" });
      else if (isContainer(decl.initializer)) containers.push(decl.name.text);
    }
  }
  if (containers.length > 0) {
    const mutated = mutatedNames(sf);
    for (const name of containers)
      if (mutated.has(name)) out.push({ file: file.path, name, kind: "mutated-const" });
  }
  return out;
}

export function formatModuleState(s: ModuleState): string {
  return `${s.file}: ${s.kind === "let" ? "top-level let" : "top-level container mutated"} ${s.name}`;
}
