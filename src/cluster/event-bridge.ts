/**
 * @module Cross-process events over PostgreSQL LISTEN/NOTIFY. Every app process on one database runs a bridge:
 * each domain event emitted locally (`deps.events`, after its transaction committed) is sent with `pg_notify` on
 * the channel `gongkai_events`; every other process re-emits it on its own bus as a "remote" event, so their
 * listeners react too (the portal drops the cached pages of the agency: a publish on one process is visible on all
 * at once). A process ignores its own messages (origin id). It also listens to the shared page store's changes
 * (channel gongkai_pages, src/portal/page-store.ts) and drops those pages from this process's memory. When the
 * listening connection drops, the bridge reconnects with backoff and then clears this process's page cache
 * (messages sent meanwhile were missed; the shared level is kept valid by its generations).
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { Deps } from "../deps.ts";
import type { DomainEventName } from "../events.ts";
import { PAGES_CHANNEL, parsePagesMessage } from "../http/page-cache.ts";

export const EVENTS_CHANNEL = "gongkai_events";
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7900;

interface Message {
  origin: string;
  event: string;
  payload: unknown;
}

export interface EventBridge {
  /** This process's origin id. */
  readonly origin: string;
  stop(): Promise<void>;
}

export async function startEventBridge(
  deps: Pick<Deps, "db" | "events" | "logger" | "pageCache">,
  connectionString: string,
): Promise<EventBridge> {
  const origin = randomUUID();
  const log = deps.logger.child({ bridge: EVENTS_CHANNEL });
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const receive = (msg: pg.Notification) => {
    if (msg.channel === PAGES_CHANNEL) {
      const pages = parsePagesMessage(msg.payload);
      if (pages && pages.origin !== deps.pageCache.id) deps.pageCache.dropLocal(pages.agencyId);
      return;
    }
    if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
    let m: Message;
    try {
      m = JSON.parse(msg.payload) as Message;
    } catch {
      log.warn("ignored a malformed cross-process event");
      return;
    }
    if (m.origin === origin || typeof m.event !== "string") return;
    deps.events.emit(m.event as DomainEventName, m.payload as never, "remote");
  };

  const connect = async (attempt: number): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: "gongkai-events" });
    c.on("notification", receive);
    c.on("error", (err) => {
      log.warn({ err }, "event listener connection lost; reconnecting");
      c.removeAllListeners("notification");
      c.end().catch(() => {});
      if (client === c) client = undefined;
      schedule(1);
    });
    await c.connect();
    await c.query(`LISTEN ${EVENTS_CHANNEL}`);
    await c.query(`LISTEN ${PAGES_CHANNEL}`);
    client = c;
    if (attempt > 0) {
      // Events of other processes may have been missed while disconnected.
      deps.pageCache.dropLocal();
      log.info("event listener reconnected; page cache cleared");
    }
  };
  const schedule = (attempt: number) => {
    if (stopped || retry) return;
    retry = setTimeout(
      () => {
        retry = undefined;
        connect(attempt).catch((err) => {
          log.warn({ err, attempt }, "event listener reconnect failed");
          schedule(attempt + 1);
        });
      },
      Math.min(30_000, 500 * 2 ** attempt),
    );
  };

  await connect(0);
  const off = deps.events.onAny((event, payload, meta) => {
    if (meta.origin !== "local" || stopped) return;
    const text = JSON.stringify({ origin, event, payload } satisfies Message);
    if (Buffer.byteLength(text) > MAX_PAYLOAD) {
      log.error({ event }, "event too large to relay to other processes");
      return;
    }
    return sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${text})`.execute(deps.db);
  }, "cluster.eventBridge");

  return {
    origin,
    async stop() {
      stopped = true;
      off();
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
