/**
 * Test runner: one PostgreSQL server per run (the embedded one, or TEST_DATABASE_URL's), a template database
 * migrated once, then Node's test runner over every *.test.ts; each test file clones the template (test/test-db.ts).
 *
 *   node scripts/run-tests.ts [--browser] [file-or-dir-filter ...]
 *
 * TEST_DATABASE_URL=postgres://user:pass@host:5432/postgres runs the same suite against an external server (CI
 * uses Debian's PostgreSQL 15).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createKysely } from "../src/db/connection.ts";
import { startEmbeddedPostgres } from "../src/db/embedded.ts";
import { migrateToLatest } from "../src/db/migrator.ts";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const browser = args.includes("--browser");
const filters = args.filter((a) => !a.startsWith("--"));

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(p, out);
    else if (entry.name.endsWith(".test.ts")) out.push(path.relative(root, p));
  }
  return out;
}

let files = [...findTests(path.join(root, "src")), ...findTests(path.join(root, "test"))].sort();
files = files.filter((f) => (browser ? f.endsWith(".browser.test.ts") : !f.endsWith(".browser.test.ts")));
if (filters.length) files = files.filter((f) => filters.some((flt) => f.includes(flt)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

let stopServer: () => Promise<void> = async () => {};
let serverUrl: string;
let tmpDir: string | undefined;
if (process.env.TEST_DATABASE_URL) {
  serverUrl = process.env.TEST_DATABASE_URL;
  console.log(`# database: external server ${new URL(serverUrl).host}`);
} else {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-test-"));
  fs.chmodSync(tmpDir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, "pg"), port: await freePort() });
  serverUrl = server.url("postgres");
  stopServer = () => server.stop();
  console.log(`# database: embedded PostgreSQL on port ${server.port}`);
}

const template = `gongkai_template_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
let exitCode = 1;
try {
  const version = await admin.query("SHOW server_version");
  console.log(`# PostgreSQL ${version.rows[0].server_version}`);
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(
    `CREATE DATABASE ${template} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0`,
  );
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const db = createKysely(templateUrl.toString(), 2);
  await migrateToLatest(db);
  await db.destroy();

  const concurrency = Math.max(2, Math.min(6, os.availableParallelism() * 2));
  const child = spawn(
    process.execPath,
    [
      "--import",
      "./bin/node-check.js",
      "--test",
      `--test-concurrency=${concurrency}`,
      "--test-reporter=spec",
      ...files,
    ],
    {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        TZ: "UTC",
        NODE_ENV: "test",
        GONGKAI_TEST_SERVER_URL: serverUrl,
        GONGKAI_TEST_TEMPLATE: template,
      },
    },
  );
  exitCode = await new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
} finally {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    const leftovers = await admin.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'gongkai_test_%'",
    );
    for (const row of leftovers.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } catch {
    // best effort
  }
  await admin.end();
  await stopServer();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}
process.exit(exitCode);
