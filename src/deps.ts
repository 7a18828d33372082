/**
 * @module The one place that wires dependencies. main (serve), the CLI and tests all build a `Deps` with
 * `createDeps`, which ends by calling `registerFeatures(deps)` (src/features.ts): every listener, hook and console
 * link is registered there, explicitly, on THIS deps, never as an import side effect and never in a process global.
 * Everything mutable that outlives a request lives here (the event bus, caches, registries), so two apps in one
 * process (tests) never share state.
 */
import pino, { type Logger } from "pino";
import { DepartmentUses } from "./agencies/department-uses.ts";
import { type AuditWriter, auditKeyFrom, createAuditWriter } from "./audit/audit.service.ts";
import { CalendarCache } from "./calendar/calendar-cache.ts";
import { CalendarHooks } from "./calendar/calendar-hooks.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/database.ts";
import { ReadPool } from "./db/read-pool.ts";
import { createDocumentPool, type DocumentPool } from "./documents/document-pool.ts";
import type { AppEvents, DomainEvents } from "./events.ts";
import { registerFeatures } from "./features.ts";
import { ConsoleLinks } from "./http/console-links.ts";
import { PAGE_TTL_MS, PageCache } from "./http/page-cache.ts";
import { PageMirror } from "./http/page-mirror.ts";
import { ClientLimiter, ReadGate } from "./http/read-gate.ts";
import type { JobRunner } from "./jobs/job-runner.ts";
import { createMessenger, type Messenger } from "./messaging/messenger.ts";
import { createPageStore } from "./portal/page-store.ts";
import { searchAgencyRecords } from "./portal/search.service.ts";
import { SearchStatsCache } from "./publishing/record-search-stats.ts";
import type { RecordSearch } from "./requests/possible-answers.service.ts";
import { type Clock, systemClock } from "./shared/clock.ts";
import { createEventBus } from "./shared/event-bus.ts";

export interface Deps {
  config: Readonly<Config>;
  /** The primary: staff pages and every write (read-your-writes). */
  db: Db;
  /**
   * Where public reads go (portal pages, public search, open-data API): the streaming replica of DATABASE_READ_URL
   * when it is up and has replayed the latest change, else the primary (src/db/read-pool.ts).
   */
  readPool: ReadPool;
  clock: Clock;
  logger: Logger;
  /** The audit chain's writer, keyed with this deployment's chain key: `deps.audit.record(trx, event)`. */
  audit: AuditWriter;
  /** Domain events (src/events.ts): services emit after commit; listeners are registered by registerFeatures. */
  events: AppEvents;
  /**
   * The public pages' cache (portal, published reports): in memory in front of the shared page store
   * (src/portal/page-store.ts); invalidated by the portal's event listeners.
   */
  pageCache: PageCache;
  /**
   * Guards of the public search (src/http/read-gate.ts): at most a few searches use database connections at once,
   * and each client gets a limited number of searches that miss the page cache per minute.
   */
  searchGuard: { gate: ReadGate; misses: ClientLimiter };
  /** The statistics of records the public search reads, kept for a minute (publishing/record-search-stats.ts). */
  searchStatsCache: SearchStatsCache;
  /** Called inside the transaction of every calendar change (publishing and requests recompute due dates). */
  calendarHooks: CalendarHooks;
  /** The working-day calendars of the newest data versions (calendar-cache.ts): `getCalendarForAgency(deps, id)`. */
  calendarCache: CalendarCache;
  /** Which departments other features' rows still name (catalog, publishing, requests, accounts register checks). */
  departmentUses: DepartmentUses;
  /**
   * Search of an agency's published records, for the application form's 可能的答复 (requests): the portal's record
   * search (synonyms included), given to requests here so that requests does not import the portal.
   */
  recordSearch: RecordSearch;
  /** The staff console's navigation links (features add theirs when their routes register). */
  consoleLinks: ConsoleLinks;
  /** The background job runner, when this process runs one (set by `gongkai serve` once it has started). */
  jobs?: JobRunner | undefined;
  /** Worker pool that parses untrusted documents (uploads) in isolation; closed with the app. */
  documents: DocumentPool;
  /** E-mail (SMTP_URL) and SMS (SMS_GATEWAY_URL) to applicants; tests pass captureMessenger(). */
  messenger?: Messenger | undefined;
  /**
   * The embedded PostgreSQL's supervision state when this process runs it (set by openRuntime): /healthz answers
   * 503 once it is "failed" (restarts failed). Absent for an external or attached database.
   */
  databaseState?: (() => "running" | "restarting" | "failed") | undefined;
}

/** Searches that may run at once (on the search lane's pool, SEARCH_POOL_SIZE in src/db/connection.ts). */
export const SEARCH_CONCURRENCY = 3;
/** Uncached searches one client may run per minute (cache hits are not counted). */
export const SEARCH_MISSES_PER_MINUTE = 60;

/** Logs go to stdout for the server, and to stderr for CLI commands (their stdout is data, e.g. --json). */
export function createLogger(
  config: Pick<Config, "logLevel" | "isProduction">,
  stream: "stdout" | "stderr" = "stdout",
): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { app: "gongkai" },
      // Personal data never goes to logs: redact credentials and anything that looks like identity data.
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'res.headers["set-cookie"]',
          "*.password",
          "*.idNumber",
          "*.phone",
        ],
        censor: "[已隐藏]",
      },
    },
    pino.destination({ fd: stream === "stderr" ? 2 : 1, sync: stream === "stderr" }),
  );
}

export function createDeps(
  config: Readonly<Config>,
  db: Db,
  overrides: Partial<Omit<Deps, "config" | "db">> & {
    /** The pool on DATABASE_READ_URL (openDatabase's replicaDb); the read pool then prefers it. */
    replicaDb?: Db | undefined;
    /** The public search lane's pools (openDatabase's searchDb, searchReplicaDb); absent: searches use the above. */
    searchDb?: Db | undefined;
    searchReplicaDb?: Db | undefined;
  } = {},
): Deps {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config);
  // In memory, in front of the shared page store (PostgreSQL, on the primary: every process, kept on restart).
  const pageCache =
    overrides.pageCache ??
    new PageCache({
      now: () => clock.now(),
      store: createPageStore(db, logger, { now: () => clock.now() }),
      // STATIC_PAGES_DIR: pages also written as files for nginx (src/http/page-mirror.ts).
      mirror: config.staticPagesDir
        ? new PageMirror({
            dir: config.staticPagesDir,
            ttlMs: PAGE_TTL_MS,
            logger,
          })
        : undefined,
    });
  const deps: Deps = {
    config,
    db,
    readPool:
      overrides.readPool ??
      new ReadPool({
        primary: db,
        replica: overrides.replicaDb,
        searchPrimary: overrides.searchDb,
        searchReplica: overrides.searchReplicaDb,
        logger,
        // Every change of public data invalidates the page cache: renders after it must see that change.
        changes: () => pageCache.generation,
      }),
    clock,
    logger,
    audit: overrides.audit ?? createAuditWriter(auditKeyFrom(config)),
    events: overrides.events ?? createEventBus<DomainEvents>(logger),
    pageCache,
    consoleLinks: overrides.consoleLinks ?? new ConsoleLinks(),
    calendarHooks: overrides.calendarHooks ?? new CalendarHooks(),
    calendarCache: overrides.calendarCache ?? new CalendarCache(),
    departmentUses: overrides.departmentUses ?? new DepartmentUses(),
    recordSearch: overrides.recordSearch ?? searchAgencyRecords,
    searchStatsCache: overrides.searchStatsCache ?? new SearchStatsCache(),
    searchGuard: overrides.searchGuard ?? {
      gate: new ReadGate(SEARCH_CONCURRENCY),
      // Operational time (like the other rate limits), not the legal clock: tests fix deps.clock.
      misses: new ClientLimiter(SEARCH_MISSES_PER_MINUTE),
    },
    messenger: overrides.messenger ?? createMessenger(config),
    // Parser processes start on the first parse, so commands that never parse a document pay nothing.
    documents:
      overrides.documents ??
      createDocumentPool({
        size: config.documentWorkers,
        limits: {
          maxBytes: Math.max(config.maxUploadBytes, 20 * 1024 * 1024),
          maxUncompressedBytes: config.documentMaxUncompressedBytes,
          timeoutMs: config.documentTimeoutMs,
          maxHeapMb: config.documentHeapMb,
        },
        onParserDeath: ({ code, signal, exitCode, stderr }) =>
          logger.warn(
            { code, signal, exitCode, stderr: stderr.slice(-1024) },
            "document parser process died",
          ),
      }),
  };
  registerFeatures(deps);
  return deps;
}
