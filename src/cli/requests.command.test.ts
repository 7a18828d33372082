import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createTestDatabase } from "../../test/test-db.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";

describe("gongkai requests purge", async () => {
  const { url } = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-purge-"));
  const env = cliEnv(url, dataDir);
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("is registered and documents itself", async () => {
    const io = captureIo();
    assert.equal(await main(["requests", "purge", "--help"], io, env), 0);
    assert.match(io.stdout.text, /gongkai requests purge/);
  });

  it("runs against the database and reports the count as JSON", async () => {
    const io = captureIo();
    assert.equal(await main(["requests", "purge", "--json"], io, env), 0, io.stderr.text);
    assert.deepEqual(JSON.parse(io.stdout.text), { purged: 0 });
  });

  it("rejects unknown options with exit code 2", async () => {
    const io = captureIo();
    assert.equal(await main(["requests", "purge", "--everything"], io, env), 2);
    assert.match(io.stderr.text, /usage/);
  });
});
