import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unsupportedNodeMessage } from "./runtime.ts";

describe("Node.js version check", () => {
  it("the test suite itself runs on Node >= 24.11 (the pinned Node 26)", () => {
    assert.equal(
      unsupportedNodeMessage(process.versions.node),
      undefined,
      `running on ${process.versions.node}`,
    );
    assert.ok(
      Number(process.versions.node.split(".")[0]) >= 26,
      `expected the pinned Node 26, got ${process.versions.node}`,
    );
  });
  it("rejects Node 20 and 24.10 with a clear message", () => {
    assert.match(unsupportedNodeMessage("20.20.2") ?? "", /needs Node.js >= 24.11 but is running on 20.20.2/);
    assert.ok(unsupportedNodeMessage("24.10.0"));
    assert.equal(unsupportedNodeMessage("24.11.0"), undefined);
    assert.equal(unsupportedNodeMessage("25.0.0"), undefined);
  });
});
