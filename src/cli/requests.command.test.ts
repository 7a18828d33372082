import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createTestDatabase } from "../../test/test-db.ts";
import type { CliIo } from "./command.ts";
import { runCli } from "./main.ts";

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

describe("gongkai requests purge", async () => {
  const { url } = await createTestDatabase();
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    GONGKAI_DATA_DIR: process.env.GONGKAI_DATA_DIR,
    LOG_LEVEL: process.env.LOG_LEVEL,
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-purge-"));
  process.env.DATABASE_URL = url;
  process.env.GONGKAI_DATA_DIR = dataDir;
  process.env.LOG_LEVEL = "silent";
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("is registered and documents itself", async () => {
    const io = captureIo();
    assert.equal(await runCli(["requests", "purge", "--help"], io), 0);
    assert.match(io.stdout, /gongkai requests purge/);
  });

  it("runs against the database and reports the count as JSON", async () => {
    const io = captureIo();
    assert.equal(await runCli(["requests", "purge", "--json"], io), 0, io.stderr);
    assert.deepEqual(JSON.parse(io.stdout), { purged: 0 });
  });

  it("rejects unknown options with exit code 2", async () => {
    const io = captureIo();
    assert.equal(await runCli(["requests", "purge", "--everything"], io), 2);
    assert.match(io.stderr, /usage/);
  });
});
