/**
 * The import rules of docs/architecture.md, checked on the real source tree (rules in test/architecture.ts):
 * no import of another feature's internals, no cycle between features, no SQL naming another feature's table; and
 * no mutable module state (test/module-state.ts).
 *
 * KNOWN lists what the code still breaks today, each entry to be removed as it is fixed. The test fails on any
 * violation not listed AND on any listed one that no longer occurs, so the list can only shrink.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import {
  featureCycles,
  foreignTables,
  formatViolation,
  internalImports,
  type SourceFile,
  tableOwners,
  tablesCreated,
  tablesNamed,
} from "../test/architecture.ts";
import { formatModuleState, isTestCode, moduleState } from "../test/module-state.ts";

const SRC = import.meta.dirname;

function sourceFiles(): SourceFile[] {
  return (fs.readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ path: f.split(path.sep).join("/"), text: fs.readFileSync(path.join(SRC, f), "utf8") }));
}

/** Violations still present (remove an entry when you fix it; never add one: fix the code instead). */
const KNOWN: readonly string[] = [];

describe("import rules (docs/architecture.md)", () => {
  const files = sourceFiles();
  const owners = tableOwners(fs.readFileSync(path.join(SRC, "db", "database.ts"), "utf8"));

  it("every table a migration creates has an owning feature (from src/db/database.ts)", () => {
    const created = tablesCreated(files.filter((f) => f.path.startsWith("db/migrations/")));
    assert.ok(created.size >= 40, `found only ${created.size} tables: the migration parser is broken`);
    assert.deepEqual(
      [...created].filter((t) => !owners.has(t)),
      [],
      "tables without an owner: add their row type to src/db/database.ts",
    );
  });

  it("no new violation, and every known one still exists (fixed ones must leave KNOWN)", () => {
    const found = [...internalImports(files), ...featureCycles(files), ...foreignTables(files, owners)].map(
      formatViolation,
    );
    const added = found.filter((v) => !KNOWN.includes(v));
    const fixed = KNOWN.filter((v) => !found.includes(v));
    assert.deepEqual(added, [], "new violations of the import rules (see docs/architecture.md)");
    assert.deepEqual(fixed, [], "fixed violations: remove them from KNOWN in src/architecture.test.ts");
  });
});

describe("the checker itself (synthetic input: it must be able to fail)", () => {
  const file = (p: string, text: string): SourceFile => ({ path: p, text });
  const database = [
    'import type { ATable } from "../alpha/alpha.table.ts";',
    'import type { BTable } from "../beta/beta.table.ts";',
    "export interface Database {",
    "  alpha_rows: ATable;",
    "  beta_rows: BTable;",
    "}",
  ].join("\n");

  it("flags an import of another feature's internal module, allows its public ones and plumbing", () => {
    const files = [
      file("alpha/alpha.service.ts", 'import { x } from "../beta/beta.repository.ts";'),
      file(
        "alpha/alpha.routes.ts",
        'import { y } from "../beta/beta.read.ts";\nimport { z } from "../http/forms.ts";',
      ),
      file(
        "alpha/alpha.views.ts",
        'import { w } from "../beta/index.ts";\nimport { v } from "./alpha.rules.ts";',
      ),
      file("alpha/alpha.test.ts", 'import { t } from "../beta/beta.repository.ts";'),
    ];
    assert.deepEqual(internalImports(files).map(formatViolation), [
      "internal-import: alpha/alpha.service.ts → beta/beta.repository.ts",
    ]);
  });

  it("flags a cycle between features, through any module, once", () => {
    const files = [
      file("alpha/a.ts", 'import { b } from "../beta/index.ts";'),
      file("beta/b.ts", 'import { g } from "../gamma/gamma.read.ts";'),
      file("gamma/g.ts", 'export { a } from "../alpha/index.ts";'),
      file("delta/d.ts", 'import { a } from "../alpha/index.ts";'),
    ];
    assert.deepEqual(featureCycles(files).map(formatViolation), [
      "cycle: alpha ↔ beta ↔ gamma → alpha→beta, beta→gamma, gamma→alpha",
    ]);
    assert.deepEqual(featureCycles(files.slice(0, 2)), []);
  });

  it("derives table owners and flags SQL naming another feature's table (builders and raw sql)", () => {
    const owners = tableOwners(database);
    assert.deepEqual(
      [...owners],
      [
        ["alpha_rows", "alpha"],
        ["beta_rows", "beta"],
      ],
    );
    const files = [
      file(
        "alpha/alpha.repository.ts",
        'db.selectFrom("alpha_rows").innerJoin("beta_rows as b", "b.id", "x")',
      ),
      file("alpha/alpha-read.repository.ts", "sql`SELECT 1 FROM beta_rows WHERE true`"),
      file("beta/beta.repository.ts", 'db.insertInto("beta_rows")'),
      file("alpha/alpha.fixtures.ts", 'db.insertInto("beta_rows")'),
    ];
    assert.deepEqual(foreignTables(files, owners).map(formatViolation), [
      "foreign-table: alpha/alpha.repository.ts → beta_rows (owned by beta)",
      "foreign-table: alpha/alpha-read.repository.ts → beta_rows (owned by beta)",
    ]);
    assert.deepEqual([...tablesNamed('"beta_rows is a string, not SQL"', new Set(owners.keys()))], []);
  });

  it("reads the tables migrations create", () => {
    const m = [file("db/migrations/x.ts", 'createTable("alpha_rows")\nsql`CREATE TABLE beta_rows (id int)`')];
    assert.deepEqual([...tablesCreated(m)].sort(), ["alpha_rows", "beta_rows"]);
  });
});

/**
 * Mutable state a module may keep at its top level, each with why it cannot leak between two Deps of one process
 * (tests, the CLI, two apps). Never add state here to avoid wiring it: put it in an object createDeps builds.
 */
const MODULE_STATE_ALLOWED: Readonly<Record<string, string>> = {
  // A memo of a pure function of the year (the lunar computation, ~10 ms a year, would otherwise run for every
  // calendar built). Its values are frozen and the same in every process: nothing configured or read from a
  // database, so no Deps can observe another's use of it.
  "calendar/statutory-holidays.ts: top-level container mutated MEMO":
    "memo of a pure function of the year; frozen values, identical for every Deps",
};

describe("no mutable module state (docs/architecture.md: no process globals)", () => {
  it("no module of src/ keeps a top-level let or a mutated top-level Map/Set/array/object", () => {
    const found = sourceFiles()
      .filter((f) => !isTestCode(f.path))
      .flatMap(moduleState)
      .map(formatModuleState);
    assert.deepEqual(
      found.filter((s) => !(s in MODULE_STATE_ALLOWED)),
      [],
      "module state shared by every Deps of the process: move it into an object createDeps builds (deps.…)",
    );
    assert.deepEqual(
      Object.keys(MODULE_STATE_ALLOWED).filter((s) => !found.includes(s)),
      [],
      "allowed module state that no longer exists: remove it from MODULE_STATE_ALLOWED",
    );
  });

  it("the checker flags lets and mutated containers, not constants, locals, strings or test code", () => {
    const state = (text: string) =>
      moduleState({ path: "alpha/alpha.service.ts", text }).map(formatModuleState);
    assert.deepEqual(
      state(
        [
          "let counter = 0;",
          "export let exported: string | undefined;",
          "var legacy = 1;",
          "const cache = new Map<string, number>();",
          "const seen: Set<string> = new Set();",
          "const list: string[] = [];",
          "const byKey = {} as Record<string, number>;",
          "const LOOKUP = new Map([['a', 1]]);",
          "const FROZEN = Object.freeze({ a: 1 });",
          "const NAMES = ['a', 'b'];",
          "export function f(k: string) {",
          "  let local = 0; const mine = new Map(); mine.set(k, local++);",
          "  cache.set(k, LOOKUP.get(k) ?? 0); seen.add(k); list.push(k); byKey[k] = 1;",
          "  return NAMES.includes(k) && 'cache.set(x)'.length > 0;",
          "}",
        ].join("\n"),
      ),
      [
        "alpha/alpha.service.ts: top-level let counter",
        "alpha/alpha.service.ts: top-level let exported",
        "alpha/alpha.service.ts: top-level let legacy",
        "alpha/alpha.service.ts: top-level container mutated cache",
        "alpha/alpha.service.ts: top-level container mutated seen",
        "alpha/alpha.service.ts: top-level container mutated list",
        "alpha/alpha.service.ts: top-level container mutated byKey",
      ],
    );
    assert.deepEqual(state("const m = new Map();\nexport function clear() { delete m.x; }"), [
      "alpha/alpha.service.ts: top-level container mutated m",
    ]);
    assert.deepEqual(state("// let x = 1;\nconst s = `let y = 2; m.set(1)`;"), []);
    assert.equal(isTestCode("alpha/alpha.test.ts") && isTestCode("alpha/alpha.fixtures.ts"), true);
    assert.equal(isTestCode("alpha/alpha.service.ts"), false);
  });
});
