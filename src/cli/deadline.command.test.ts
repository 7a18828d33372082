import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { captureIo } from "./cli.fixtures.ts";
import { deadlineParse, deadlineParseCommand } from "./deadline-parse.command.ts";

describe("gongkai deadline parse", () => {
  it("prints two rules for a combined reading and exits 0", async () => {
    const o = captureIo();
    const code = await deadlineParseCommand.run(
      { values: { json: true }, positionals: ["20个工作日/7个工作日"] },
      o,
      {},
    );
    assert.equal(code, 0);
    const r = JSON.parse(o.stdout.text);
    assert.deepEqual(
      r.rules.map((x: { kind: string; amount: number; trigger: string }) => [x.kind, x.amount, x.trigger]),
      [
        ["workingDays", 20, "formation"],
        ["workingDays", 7, "formation"],
      ],
    );
  });

  it("reads the approval trigger and calendar days", () => {
    const r = deadlineParse("部门预算经本级财政部门批复后20日内公开");
    assert.equal(r.understood, true);
    assert.deepEqual(
      [r.rules[0]?.kind, r.rules[0]?.amount, r.rules[0]?.trigger],
      ["calendarDays", 20, "approval"],
    );
  });

  it("gives the reason and exits 1 when the text is not understood", async () => {
    const o = captureIo();
    const code = await deadlineParseCommand.run({ values: {}, positionals: ["按上级统一部署"] }, o, {});
    assert.equal(code, 1);
    assert.match(o.stdout.text, /未能理解：“按上级统一部署”/);
  });
});
