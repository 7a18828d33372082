import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestApp } from "../../test/test-app.ts";

describe("the editor's vendored script", async () => {
  const { app } = await createTestApp();

  it("serves squire-rte's browser build from node_modules, and nothing else of the package", async () => {
    const ok = await app.inject({ method: "GET", url: "/static/vendor/squire/squire.js" });
    assert.equal(ok.statusCode, 200);
    assert.match(String(ok.headers["content-type"]), /javascript/);
    assert.match(ok.body, /window\.Squire/);
    for (const url of [
      "/static/vendor/squire/squire.mjs",
      "/static/vendor/squire/../package.json",
      "/static/vendor/squire/%2e%2e/package.json",
      "/static/vendor/squire/types/Squire.d.ts",
    ]) {
      const res = await app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 404, url);
    }
  });

  it("serves the editor's own script and stylesheet", async () => {
    for (const url of ["/static/editor.js", "/static/editor.css"]) {
      assert.equal((await app.inject({ method: "GET", url })).statusCode, 200, url);
    }
  });
});
