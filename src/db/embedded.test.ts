import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import pg from "pg";
import {
  availableMemory,
  defaultIoWorkers,
  defaultSharedBuffersMb,
  EmbeddedPostgresError,
  startEmbeddedPostgres,
} from "./embedded.ts";

function listen(port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolve(s));
  });
}

async function freePort(): Promise<number> {
  const s = await listen();
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("embedded PostgreSQL", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-embedded-"));
  fs.chmodSync(root, 0o755);
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const dataDir = path.join(root, "pg");

  it("initialises a UTF-8 cluster, keeps data across restarts and stops cleanly", async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres({ dataDir, port });
    let client = new pg.Client({ connectionString: server.url("postgres") });
    await client.connect();
    const enc = await client.query(
      "SELECT pg_encoding_to_char(encoding) AS enc, datctype FROM pg_database WHERE datname = 'postgres'",
    );
    assert.equal(enc.rows[0].enc, "UTF8");
    assert.match(enc.rows[0].datctype, /UTF-?8/i);
    const fsync = await client.query("SHOW fsync");
    assert.equal(fsync.rows[0].fsync, "on");
    // io_workers by this machine's cores (PostgreSQL 18's default of 3 above two cores).
    assert.equal(
      (await client.query("SHOW io_workers")).rows[0].io_workers,
      String(defaultIoWorkers(os.availableParallelism()) ?? 3),
    );
    await client.query("CREATE TABLE kept (v text)");
    await client.query("INSERT INTO kept VALUES ('社保')");
    await client.end();
    await server.stop();
    assert.equal(fs.existsSync(path.join(dataDir, "postmaster.pid")), false, "postmaster gone after stop");

    server = await startEmbeddedPostgres({ dataDir, port });
    client = new pg.Client({ connectionString: server.url("postgres") });
    await client.connect();
    assert.equal((await client.query("SELECT v FROM kept")).rows[0].v, "社保");
    await client.end();
    await server.stop();
  });

  it("sizes shared_buffers to 40 % of memory (128 MB – 8 GB) unless told, and keeps them warm across restarts", async () => {
    const GB = 1024 ** 3;
    assert.equal(defaultSharedBuffersMb(16 * GB), 6553);
    assert.equal(defaultSharedBuffersMb(24 * GB), 8192);
    assert.equal(defaultSharedBuffersMb(64 * GB), 8192);
    assert.equal(defaultSharedBuffersMb(256 * 1024 ** 2), 128);
    assert.equal(defaultSharedBuffersMb(1 * GB), 409);
    // Under a container's memory limit, 40 % of the limit.
    assert.equal(availableMemory(64 * GB, 2 * GB), 2 * GB);
    assert.equal(availableMemory(24 * GB, 0), 24 * GB);
    assert.equal(availableMemory(24 * GB, 2 ** 64), 24 * GB);
    assert.equal(availableMemory(24 * GB, undefined), 24 * GB);
    assert.equal(defaultSharedBuffersMb(availableMemory(64 * GB, 2 * GB)), 819);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(root, "pg-buffers"),
      port: await freePort(),
      sharedBuffersMb: 48,
      ioWorkers: 2,
    });
    const client = new pg.Client({ connectionString: server.url("postgres") });
    await client.connect();
    try {
      assert.equal((await client.query("SHOW shared_buffers")).rows[0].shared_buffers, "48MB");
      assert.equal((await client.query("SHOW io_workers")).rows[0].io_workers, "2");
      // pg_prewarm's autoprewarm runs: the pages in use are saved at shutdown and read back at the next start.
      assert.equal(
        (await client.query("SHOW shared_preload_libraries")).rows[0].shared_preload_libraries,
        "pg_prewarm",
      );
    } finally {
      await client.end();
      await server.stop();
    }
    assert.ok(
      fs.existsSync(path.join(root, "pg-buffers", "autoprewarm.blocks")),
      "buffer list saved at shutdown",
    );
  });

  it("runs one I/O worker on two cores or fewer, PostgreSQL's default above", () => {
    assert.equal(defaultIoWorkers(1), 1);
    assert.equal(defaultIoWorkers(2), 1);
    assert.equal(defaultIoWorkers(3), undefined);
    assert.equal(defaultIoWorkers(16), undefined);
  });

  it("refuses a data directory locked by another live process, with a clear message", async () => {
    const lock = path.join(root, "pg.gongkai.lock");
    fs.writeFileSync(lock, String(process.ppid)); // the test runner: alive, and not us
    try {
      await assert.rejects(
        startEmbeddedPostgres({ dataDir, port: await freePort() }),
        (e: unknown) =>
          e instanceof EmbeddedPostgresError && /in use by another Gongkai process/.test(e.message),
      );
    } finally {
      fs.rmSync(lock, { force: true });
    }
  });

  it("reports a port clash as a clear error, not a stack trace", async () => {
    const blocker = await listen();
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(
        startEmbeddedPostgres({ dataDir, port }),
        (e: unknown) =>
          e instanceof EmbeddedPostgresError && new RegExp(`Port ${port} .* already in use`).test(e.message),
      );
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    assert.equal(
      fs.existsSync(path.join(root, "pg.gongkai.lock")),
      false,
      "the lock is released after a failed start",
    );
  });
});
