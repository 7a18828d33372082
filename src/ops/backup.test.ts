// Backup → restore round trip on real PostgreSQL: the demo platform (catalogs, records, applications with encrypted
// personal data, reports, audit log) plus an attachment file is backed up while in use, restored into a fresh
// empty database and data directory, and compared: row counts and checksums, audit verify, decryption, pages.
// This is the restore drill of docs/operations.md.
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import pino from "pino";
import yauzl from "yauzl";
import yazl from "yazl";
import { createTestDeps, testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { auditKeyFrom, verifyAuditChain } from "../audit/audit.service.ts";
import { captureIo, cliEnv } from "../cli/cli.fixtures.ts";
import { main } from "../cli/main.ts";
import { createKysely, rawClient } from "../db/connection.ts";
import type { Db } from "../db/database.ts";
import { createDeps, type Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { storeUpload } from "../publishing/attachment.service.ts";
import { decryptPersonal, parseEncryptionKey } from "../requests/personal-data.ts";
import { seedDemo } from "../seed.ts";
import { fixedClock } from "../shared/clock.ts";
import { type BackupManifest, runBackup } from "./backup.ts";
import { restoreBackup } from "./restore.ts";
import { checkRestored } from "./restore-check.ts";
import { dependencyOrder, dumpTable, listTables, nullSink } from "./snapshot.ts";
import { openZip } from "./zip-reader.ts";

const clock = fixedClock("2026-03-16T10:00:00+08:00");
// A minimal PNG (signature + IHDR + IEND): accepted as an image attachment.
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" + "1f15c4890000000049454e44ae426082",
  "hex",
);

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new EMPTY database on the test server (not a clone of the migrated template). */
async function emptyDatabase(): Promise<{ db: Db; url: string }> {
  const server = process.env.GONGKAI_TEST_SERVER_URL as string;
  const name = `gongkai_restore_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = createKysely(url.toString(), 4);
  after(async () => {
    await db.destroy();
    const drop = new pg.Client({ connectionString: server });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  });
  return { db, url: url.toString() };
}

async function tableChecksums(db: Db): Promise<Map<string, { rows: number; sha256: string }>> {
  const client = await rawClient(db);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const out = new Map<string, { rows: number; sha256: string }>();
    for (const t of await listTables(client)) out.set(t.name, await dumpTable(client, t, nullSink()));
    await client.query("COMMIT");
    return out;
  } finally {
    client.release();
  }
}

/** Copies a zip, changing entries with `edit` (returns new content, or undefined to keep). */
async function rewriteZip(
  file: string,
  out: string,
  edit: (name: string, data: Buffer) => Buffer | undefined,
) {
  const zip = await openZip(file);
  const copy = new yazl.ZipFile();
  for (const name of zip.names()) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.open(name)) chunks.push(c as Buffer);
    const data = Buffer.concat(chunks);
    copy.addBuffer(edit(name, data) ?? data, name);
  }
  zip.close();
  await new Promise<void>((resolve, reject) => {
    const sink = fs.createWriteStream(out);
    sink.on("close", resolve);
    sink.on("error", reject);
    copy.outputStream.pipe(sink);
    copy.end();
  });
}

describe("dependency order", () => {
  it("puts parents before children, ignores self-references and keeps cycles loud but complete", () => {
    assert.deepEqual(
      dependencyOrder(
        ["records", "agencies", "regions", "record_attachments"],
        [
          { child: "agencies", parent: "regions" },
          { child: "regions", parent: "regions" },
          { child: "records", parent: "agencies" },
          { child: "record_attachments", parent: "records" },
        ],
      ),
      ["regions", "agencies", "records", "record_attachments"],
    );
    assert.deepEqual(
      dependencyOrder(
        ["a", "b", "c"],
        [
          { child: "a", parent: "b" },
          { child: "b", parent: "a" },
        ],
      ),
      ["c", "a", "b"],
    );
  });
});

describe("backup and restore round trip", async () => {
  let restored: Deps;
  let manifest: BackupManifest;
  let archive = "";
  const sourceDir = tempDir("gongkai-backup-src-");
  const targetDir = tempDir("gongkai-backup-dst-");
  const outDir = tempDir("gongkai-backup-out-");
  const target = await emptyDatabase();
  const fresh = await emptyDatabase();
  const cliSource = await createTestDatabase();
  const cliTarget = await emptyDatabase();
  const source = await createTestDeps({ clock, config: { dataDir: sourceDir } });
  let attachmentSha = "";

  {
    await seedDemo(source);
    // An attachment file on a published record (stored as the upload path does).
    const record = await source.db
      .selectFrom("records")
      .select(["agency_id", "id"])
      .where("status", "=", "published")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const stored = await storeUpload(source, record.agency_id, "图解.png", PNG);
    attachmentSha = stored.sha256;
    await source.db
      .insertInto("record_attachments")
      .values({
        agency_id: record.agency_id,
        record_id: record.id,
        file_name: stored.fileName,
        mime_type: stored.mime,
        file_type: stored.type,
        size_bytes: stored.size,
        sha256: stored.sha256,
        extracted_text: "",
        created_by: null,
      })
      .execute();
  }

  it("writes one archive with a manifest: schema version, every table with rows and SHA-256, the files", async () => {
    const result = await runBackup(source, { out: `${outDir}/` });
    archive = result.file;
    manifest = result.manifest;
    assert.match(path.basename(archive), /^gongkai-backup-20260316T020000Z\.zip$/);
    assert.equal(manifest.includesKeys, false);
    assert.ok(manifest.schemaVersion.length > 0);
    assert.equal(manifest.schemaVersion, manifest.migrations.at(-1));
    const names = manifest.tables.map((t) => t.name);
    for (const t of [
      "agencies",
      "records",
      "info_requests",
      "audit_events",
      "annual_reports",
      "catalog_items",
    ])
      assert.ok(names.includes(t), `${t} is in the backup`);
    assert.ok(!names.includes("kysely_migration"));
    assert.ok(
      (manifest.tables.find((t) => t.name === "info_requests")?.rows ?? 0) > 0,
      "applications seeded",
    );
    assert.deepEqual(
      manifest.files.map((f) => f.sha256),
      [attachmentSha],
    );
    const zip = await openZip(archive);
    assert.ok(!zip.has("keys/keys.json"), "no keys unless asked");
    assert.ok(zip.has("README.txt"));
    zip.close();
    // The checksums describe the data as it is.
    const live = await tableChecksums(source.db);
    for (const t of manifest.tables)
      assert.deepEqual(live.get(t.name), { rows: t.rows, sha256: t.sha256 }, t.name);
  });

  it("restores into a fresh empty database: counts, checksums, audit verify, decryption with the provided key", async () => {
    const { db } = target;
    const result = await restoreBackup({ db, dataDir: targetDir }, archive);
    assert.equal(
      result.rows,
      manifest.tables.reduce((s, t) => s + t.rows, 0),
    );
    restored = createDeps(testConfig({ dataDir: targetDir }), db, {
      clock,
      logger: pino({ level: "silent" }),
    });
    const after = await tableChecksums(db);
    for (const t of manifest.tables)
      assert.deepEqual(after.get(t.name), { rows: t.rows, sha256: t.sha256 }, t.name);
    const audit = await verifyAuditChain(db, { key: auditKeyFrom(restored.config) });
    assert.equal(audit.ok, true);
    assert.ok(audit.checked > 100);
    const check = await checkRestored(db, restored.config);
    assert.equal(check.personalData, "ok");
    // Each applicant's personal data decrypts to the same as in the original.
    const key = parseEncryptionKey(restored.config.encryptionKey);
    const originals = await source.db
      .selectFrom("info_requests")
      .select(["id", "personal_enc"])
      .orderBy("id")
      .execute();
    const copies = await db
      .selectFrom("info_requests")
      .select(["id", "personal_enc"])
      .orderBy("id")
      .execute();
    assert.equal(copies.length, originals.length);
    for (const [i, o] of originals.entries()) {
      if (!o.personal_enc) continue;
      assert.deepEqual(
        decryptPersonal(key, copies[i]?.personal_enc as string, o.id),
        decryptPersonal(key, o.personal_enc, o.id),
      );
    }
    // Sequences continue after the restored rows (the next audit event does not collide).
    const seq = await db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.max("seq").as("max"))
      .executeTakeFirst();
    const next = await rawClient(db);
    try {
      const { rows } = await next.query(
        "SELECT nextval(pg_get_serial_sequence('audit_events', 'seq'))::bigint AS v",
      );
      assert.ok(Number(rows[0].v) > Number(seq?.max), "sequence set past the restored rows");
    } finally {
      next.release();
    }
    // The attachment file is back, under the same content address.
    assert.deepEqual(
      fs.readFileSync(path.join(targetDir, "uploads", manifest.files[0]?.agencyId ?? "", attachmentSha)),
      PNG,
    );
  });

  it("serves the same pages from the restored database", async () => {
    const appA = await buildApp(source);
    const appB = await buildApp(restored);
    after(async () => {
      await appA.close();
      await appB.close();
    });
    const record = await source.db
      .selectFrom("record_attachments as a")
      .innerJoin("agencies as g", "g.id", "a.agency_id")
      .select(["g.slug", "a.record_id"])
      .executeTakeFirstOrThrow();
    const pages = [
      "/",
      `/agencies/${record.slug}`,
      `/agencies/${record.slug}/catalog`,
      `/agencies/${record.slug}/records/${record.record_id}`,
      `/agencies/${record.slug}/reports`,
      `/agencies/${record.slug}/guide`,
      `/search?q=${encodeURIComponent("就业")}`,
    ];
    for (const url of pages) {
      const [a, b] = await Promise.all([appA.inject({ url }), appB.inject({ url })]);
      assert.equal(a.statusCode, 200, url);
      assert.equal(b.statusCode, a.statusCode, url);
      assert.equal(b.body, a.body, `${url} renders the same`);
    }
  });

  it("refuses a non-empty target, another schema version and a corrupted archive, with specific codes", async () => {
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return "ok";
      } catch (e) {
        return isAppError(e) ? e.code : String(e);
      }
    };
    assert.equal(
      await code(restoreBackup({ db: source.db, dataDir: tempDir("gongkai-x-") }, archive)),
      "restore_target_not_empty",
    );
    assert.equal(
      await code(restoreBackup({ db: fresh.db, dataDir: targetDir }, archive)),
      "restore_target_not_empty",
      "uploads present",
    );

    const older = path.join(outDir, "older.zip");
    await rewriteZip(archive, older, (name, data) => {
      if (name !== "manifest.json") return undefined;
      const m = JSON.parse(data.toString()) as BackupManifest;
      m.migrations = m.migrations.slice(0, -1);
      m.schemaVersion = m.migrations.at(-1) ?? "";
      return Buffer.from(JSON.stringify(m));
    });
    const empty = tempDir("gongkai-empty-");
    assert.equal(
      await code(restoreBackup({ db: fresh.db, dataDir: empty }, older)),
      "backup_schema_mismatch",
    );

    const tampered = path.join(outDir, "tampered.zip");
    await rewriteZip(archive, tampered, (name, data) =>
      name === "tables/agencies.copy"
        ? Buffer.from(data.toString().replace("人力资源", "人力资原"))
        : undefined,
    );
    assert.equal(
      await code(restoreBackup({ db: fresh.db, dataDir: empty }, tampered)),
      "backup_checksum_mismatch",
    );
    // Bytes damaged inside the largest entry's compressed data (a bad disk, a copy cut and resumed): the entry no
    // longer inflates to its size. Once an unhandled stream error that ended the process.
    const damaged = path.join(outDir, "damaged.zip");
    const bytes = fs.readFileSync(archive);
    const largest = await new Promise<yauzl.Entry>((resolve, reject) =>
      yauzl.fromBuffer(bytes, { lazyEntries: true }, (e, z) => {
        if (e) return reject(e);
        let best: yauzl.Entry | undefined;
        z.on("entry", (entry: yauzl.Entry) => {
          if (!best || entry.compressedSize > best.compressedSize) best = entry;
          z.readEntry();
        });
        z.on("end", () => (best ? resolve(best) : reject(new Error("empty archive"))));
        z.readEntry();
      }),
    );
    assert.ok(largest.compressedSize > 4096, `${largest.fileName}: ${largest.compressedSize} bytes`);
    const at =
      largest.relativeOffsetOfLocalHeader + 30 + largest.fileName.length + 512 + largest.compressedSize / 2;
    bytes.fill(0x55, Math.floor(at), Math.floor(at) + 64);
    fs.writeFileSync(damaged, bytes);
    const e = await restoreBackup({ db: fresh.db, dataDir: empty }, damaged).then(
      () => assert.fail("restored a damaged archive"),
      (err: unknown) => err,
    );
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, "backup_checksum_mismatch");
    assert.match(e.message, new RegExp(`${largest.fileName.replace(".", "\\.")} 已损坏`));
    // A truncated copy (the transfer stopped): no central directory.
    const truncated = path.join(outDir, "truncated.zip");
    fs.writeFileSync(truncated, fs.readFileSync(archive).subarray(0, Math.floor(bytes.length * 0.6)));
    assert.equal(await code(restoreBackup({ db: fresh.db, dataDir: empty }, truncated)), "backup_invalid");
    const notZip = path.join(outDir, "not-a-backup.zip");
    fs.writeFileSync(notZip, "hello");
    assert.equal(await code(restoreBackup({ db: fresh.db, dataDir: empty }, notZip)), "backup_invalid");
    // Nothing was written by the refused attempts.
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`.execute(fresh.db);
    assert.equal(rows[0]?.n, 0);
  });

  it("keeps the newest N backups with retention, and includes keys only when asked", async () => {
    const dir = path.join(outDir, "daily");
    for (const [i, day] of ["2026-03-13", "2026-03-14", "2026-03-15"].entries()) {
      const deps = { ...source, clock: fixedClock(`${day}T02:00:00+08:00`) };
      await runBackup(deps, { out: `${dir}/`, retention: 2, includeKeys: i === 2 });
    }
    const left = fs.readdirSync(dir).sort();
    assert.deepEqual(left, ["gongkai-backup-20260313T180000Z.zip", "gongkai-backup-20260314T180000Z.zip"]);
    const zip = await openZip(path.join(dir, left[1] as string));
    const keys = JSON.parse(await zip.readText("keys/keys.json"));
    zip.close();
    assert.equal(keys.encryptionKey, source.config.encryptionKey);
    assert.equal(keys.secret, source.config.secret);
  });

  it("gongkai backup and restore on the command line (DATABASE_URL)", async () => {
    const { url } = cliSource;
    const env = cliEnv(url, tempDir("gongkai-cli-src-"));
    const file = path.join(outDir, "cli.zip");
    const io = captureIo();
    assert.equal(
      await main(["backup", "--out", file, "--include-keys", "--json"], io, env),
      0,
      io.stderr.text,
    );
    assert.equal(JSON.parse(io.stdout.text).includesKeys, true);
    assert.match(io.stderr.text, /WARNING/);
    // Without the keys it names this installation's key files (GONGKAI_DATA_DIR), not a default ./data.
    const noKeys = captureIo();
    assert.equal(await main(["backup", "--out", path.join(outDir, "cli-no-keys.zip")], noKeys, env), 0);
    assert.ok(
      noKeys.stdout.text.includes(`恢复时还需要 ${path.join(env.GONGKAI_DATA_DIR ?? "", "secret.key")} 和 `),
      noKeys.stdout.text,
    );
    const refused = captureIo();
    assert.equal(await main(["restore", file], refused, env), 1);
    assert.match(refused.stderr.text, /restore_target_not_empty/);

    const targetEnv = cliEnv(cliTarget.url, tempDir("gongkai-cli-dst-"));
    const ok = captureIo();
    assert.equal(await main(["restore", file, "--json"], ok, targetEnv), 0, ok.stderr.text + ok.stdout.text);
    const report = JSON.parse(ok.stdout.text);
    assert.equal(report.check.audit.ok, true);
    assert.equal(report.keysWritten.length, 2);
    const verify = captureIo();
    assert.equal(await main(["audit", "verify"], verify, targetEnv), 0, verify.stderr.text);
  });
});

describe("a refused restore into an embedded data directory", () => {
  it("removes the cluster it created, so that the next attempt is not refused as a non-empty target", async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const dataDir = tempDir("gongkai-restore-embedded-");
    // (Run as root, the embedded PostgreSQL runs as `postgres`, which must reach the directory.)
    fs.chmodSync(dataDir, 0o755);
    const foreign = path.join(tempDir("gongkai-foreign-"), "photos.zip");
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("not a backup"), "readme.txt");
    zip.end();
    await new Promise<void>((resolve, reject) => {
      const sink = fs.createWriteStream(foreign);
      sink.on("close", resolve);
      sink.on("error", reject);
      zip.outputStream.pipe(sink);
    });
    const env = cliEnv(undefined, dataDir, {
      GONGKAI_PG_PORT: String(port),
      GONGKAI_PG_SHARED_BUFFERS_MB: "128",
    });
    for (const attempt of [1, 2]) {
      const io = captureIo();
      assert.equal(await main(["restore", foreign], io, env), 1);
      assert.match(
        io.stderr.text,
        /不是 Gongkai 备份。 \(backup_invalid\)/,
        `attempt ${attempt}: ${io.stderr.text}`,
      );
      assert.match(io.stderr.text, /恢复未完成，已删除本次创建的/);
      assert.deepEqual(
        fs.readdirSync(dataDir).filter((f) => f.startsWith("pg")),
        [],
        `attempt ${attempt} left the cluster behind`,
      );
    }
  });
});
