/**
 * Builds the real app in-process over a fresh test database (Fastify's inject, no port).
 */

import assert from "node:assert/strict";
import { after } from "node:test";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { buildApp } from "../src/app.ts";
import { featureJobs } from "../src/app-jobs.ts";
import { type AuditWriter, auditKeyFrom, createAuditWriter } from "../src/audit/audit.service.ts";
import { type Config, loadConfig } from "../src/config.ts";
import type { Db } from "../src/db/database.ts";
import { createDeps, type Deps } from "../src/deps.ts";
import type { DomainEvents } from "../src/events.ts";
import { startJobRunner } from "../src/jobs/job-runner.ts";
import { type Clock, fixedClock } from "../src/shared/clock.ts";
import { createEventBus } from "../src/shared/event-bus.ts";
import { createTestDatabase } from "./test-db.ts";
import { testReplicaOf } from "./test-replica.ts";

export const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";
export const TEST_ENCRYPTION_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  const base = loadConfig({
    GONGKAI_SECRET: TEST_SECRET,
    GONGKAI_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: "silent",
  });
  return Object.freeze({ ...base, ...overrides });
}

export interface TestContext {
  app: FastifyInstance;
  deps: Deps;
  db: Db;
}

export async function createTestDeps(
  options: { clock?: Clock; config?: Partial<Config>; db?: Db } = {},
): Promise<Deps> {
  const db = options.db ?? (await createTestDatabase()).db;
  return createDeps(testConfig(options.config), db, {
    clock: options.clock ?? fixedClock("2026-03-16T10:00:00+08:00"),
    logger: pino({ level: "silent" }),
    // TEST_DATABASE_READ_URL (a hot standby): public pages read from it (test/test-replica.ts).
    replicaDb: await testReplicaOf(db),
  });
}

export async function createTestApp(
  options: {
    clock?: Clock;
    config?: Partial<Config>;
    db?: Db;
    /**
     * Start a real job runner (pg-boss over this test database, every feature's jobs) that queues without working,
     * as a process with jobs does: "run now" answers as in production instead of 503 jobs_not_running.
     */
    jobs?: boolean;
  } = {},
): Promise<TestContext> {
  if (options.jobs && options.db) throw new Error("createTestApp: jobs needs the test database it creates");
  const testDb = options.jobs ? await createTestDatabase() : undefined;
  const deps = await createTestDeps(testDb ? { ...options, db: testDb.db } : options);
  const app = await buildApp(deps);
  after(() => app.close());
  if (testDb) {
    const runner = await startJobRunner({
      deps,
      connectionString: testDb.url,
      definitions: featureJobs(),
      work: false,
    });
    after(() => runner.stop());
    deps.jobs = runner;
  }
  return { app, deps, db: deps.db };
}

/** The audit writer of the test configuration (keyed like createTestDeps'), for service tests with only a `db`. */
export function testAudit(): AuditWriter {
  return createAuditWriter(auditKeyFrom(testConfig()));
}

/**
 * A database with an event bus whose listener failures fail loudly, and the test audit writer (for service tests
 * that have only a `db`).
 */
export function withEvents(db: Db): Pick<Deps, "db" | "events" | "audit"> {
  return {
    db,
    audit: testAudit(),
    events: createEventBus<DomainEvents>({ error: (details) => assert.fail(JSON.stringify(details)) }),
  };
}
