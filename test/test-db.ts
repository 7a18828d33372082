/**
 * Test database: each test file gets a fresh database cloned from the migrated template that scripts/run-tests.ts
 * prepared on the run's one PostgreSQL server. Real PostgreSQL, no mocks.
 */
import { randomBytes } from "node:crypto";
import { after } from "node:test";
import pg from "pg";
import { createKysely } from "../src/db/connection.ts";
import type { Db } from "../src/db/database.ts";

export interface TestDatabase {
  db: Db;
  url: string;
  name: string;
}

function serverUrl(): { url: string; template: string } {
  const url = process.env.GONGKAI_TEST_SERVER_URL;
  const template = process.env.GONGKAI_TEST_TEMPLATE;
  if (!url || !template) {
    throw new Error(
      "Database tests run through `npm run test:unit` (scripts/run-tests.ts), which starts PostgreSQL.",
    );
  }
  return { url, template };
}

/** Creates a fresh database for this test file and drops it when the file's tests end. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { url, template } = serverUrl();
  const name = `gongkai_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = createKysely(dbUrl.toString(), 5);
  after(async () => {
    await db.destroy();
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  });
  return { db, url: dbUrl.toString(), name };
}
