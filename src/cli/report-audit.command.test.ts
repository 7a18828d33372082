import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { captureIo } from "./cli.fixtures.ts";
import { main } from "./main.ts";

const FIXTURE = fs.readFileSync(
  path.join(import.meta.dirname, "..", "reports", "fixtures", "published-report-2023.html"),
  "utf8",
);

describe("gongkai report audit", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-report-audit-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const good = path.join(dir, "good.html");
  fs.writeFileSync(good, FIXTURE);
  const region = path.join(dir, "region");
  fs.mkdirSync(region);
  // A second organ whose table 三 （七）总计[总计] does not add up (48 → 47).
  const broken = FIXTURE.replaceAll("杭州市人力资源和社会保障局", "某某县医疗保障局").replace(
    "<td>44</td><td>3</td><td>0</td><td>0</td><td>1</td><td>0</td><td>48</td>",
    "<td>44</td><td>3</td><td>0</td><td>0</td><td>1</td><td>0</td><td>47</td>",
  );
  fs.writeFileSync(path.join(region, "a.html"), FIXTURE);
  fs.writeFileSync(path.join(region, "b.html"), broken);
  fs.writeFileSync(path.join(region, "notes.txt"), "not a report");

  it("a consistent report: exit 0, cells printed by their official labels", async () => {
    const io = captureIo();
    assert.equal(await main(["report", "audit", good, "--json"], io, {}), 0, io.stderr.text);
    const out = JSON.parse(io.stdout.text);
    assert.equal(out.passed, true);
    assert.equal(
      out.cells["三、收到和处理政府信息公开申请情况"]["一、本年新收政府信息公开申请数量"]["总计"],
      50,
    );
  });

  it("a region in one run: the broken report fails with the cells named, exit 1", async () => {
    const io = captureIo();
    assert.equal(await main(["report", "audit", region, "--json"], io, {}), 1);
    const audits = JSON.parse(io.stdout.text) as {
      file: string;
      passed: boolean;
      findings: { code: string; cells: string[] }[];
    }[];
    assert.equal(audits.length, 2, "the .txt file is not taken");
    assert.equal(audits[0]?.passed, true);
    const b = audits[1];
    assert.equal(b?.passed, false);
    assert.ok(
      b?.findings.some((f) => f.code === "applications_balance" && f.cells.includes("三（七）总计[总计]")),
    );
    assert.ok(
      b?.findings.some(
        (f) => f.code === "applications_concluded_total" && f.cells[0] === "三（七）总计[总计]",
      ),
    );
    // Same narrative as the other organ's: copied from a peer.
    assert.ok(b?.findings.some((f) => f.code === "narrative_copied_from_peer"));
  });

  it("human output names the failed check", async () => {
    const io = captureIo();
    assert.equal(await main(["report", "audit", path.join(region, "b.html")], io, {}), 1);
    assert.match(io.stdout.text, /未通过/);
    assert.match(io.stdout.text, /三（七）总计\[总计\]/);
  });

  it("usage errors exit 2", async () => {
    for (const argv of [
      ["report", "audit"],
      ["report", "audit", path.join(dir, "missing.html")],
    ]) {
      const io = captureIo();
      assert.equal(await main(argv, io, {}), 2, argv.join(" "));
    }
  });
});
