// The CLI's command table: every entry loads its command (same name and summary as the module's), names are unique,
// and `--help` / `deadline parse` load no app, database or calendar-service module (checked in a child process).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { COMMANDS } from "./commands.ts";

const ROOT = path.join(import.meta.dirname, "..", "..");

/** Modules loaded by a CLI run (the ESM loader's resolve hook lists every import in a child process). */
function loadedModules(args: string[]): string[] {
  const probe = `
    import { registerHooks } from "node:module";
    const seen = [];
    registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.push(r.url); return r; } });
    const { main } = await import(${JSON.stringify(path.join(ROOT, "src/cli/main.ts"))});
    const io = { stdout: { write() {} }, stderr: { write() {} } };
    await main(${JSON.stringify(args)}, io, {});
    process.stdout.write(JSON.stringify(seen.filter((u) => u.includes("/src/"))));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", probe], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return (JSON.parse(out) as string[]).map((u) => u.slice(u.indexOf("/src/") + 1));
}

describe("gongkai command table (lazy loading)", () => {
  it("every entry loads its command with the same name and summary", async () => {
    const names = COMMANDS.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, "unique names");
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name, entry.name);
      assert.equal(command.summary, entry.summary, `${entry.name}: summary as in the command module`);
    }
  });

  it("--help and deadline parse load neither the app nor the database layer", () => {
    for (const args of [["--help"], ["deadline", "parse", "信息形成之日起20个工作日内"]]) {
      const loaded = loadedModules(args);
      assert.ok(loaded.includes("src/cli/main.ts"), loaded.join(" "));
      for (const heavy of ["src/app.ts", "src/db/connection.ts", "src/deps.ts", "src/cli/runtime.ts"])
        assert.ok(!loaded.includes(heavy), `${args.join(" ")} loaded ${heavy}`);
    }
    // The control: a database command does load them.
    assert.ok(loadedModules(["audit", "verify", "--help"]).includes("src/cli/runtime.ts"));
  });
});
