/**
 * `gongkai serve` stopped by SIGTERM during its start-up — after it listens, while the event bridge and the job
 * runner start (what systemd does on `systemctl restart` right after a start, or an orchestrator scaling down):
 * it stops what it started and exits 0. It used to close the database first, then pg-boss finished starting and
 * kept the process alive (retrying its connection) until a SIGKILL.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { TEST_ENCRYPTION_KEY, TEST_SECRET } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("gongkai serve and SIGTERM", async () => {
  const { url } = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-sigterm-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("a SIGTERM as soon as it listens (job runner still starting): it stops everything and exits 0", async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ["--import", "./bin/node-check.js", "bin/gongkai.js", "serve", "--no-seed"],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? "",
          DATABASE_URL: url,
          PORT: String(port),
          HOST: "127.0.0.1",
          GONGKAI_DATA_DIR: dataDir,
          GONGKAI_SECRET: TEST_SECRET,
          GONGKAI_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          GONGKAI_JOBS: "true",
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!(await accepts(port))) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `serve did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      // The port answers before the event bridge and pg-boss have started.
      assert.doesNotMatch(
        output,
        /background jobs started/,
        "the window was missed: jobs had already started",
      );
      child.kill("SIGTERM");
      const code = await Promise.race([
        exited,
        new Promise<"hung">((r) => setTimeout(() => r("hung"), 30_000)),
      ]);
      assert.equal(
        code,
        0,
        `serve ${code === "hung" ? "still runs 30 s after SIGTERM" : `exited ${code}`}:\n${output.slice(-3000)}`,
      );
      assert.match(output, /"msg":"stopped"/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
