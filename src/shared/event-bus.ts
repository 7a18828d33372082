/**
 * @module A small typed event bus (in-process). A service emits a fact AFTER its transaction committed
 * (`events.emit("record.published", { agencyId, recordId })`); listeners registered by `registerFeatures(deps)`
 * react (e.g. the portal drops its cached pages). Semantics:
 *
 * - Listeners run synchronously, in registration order, inside `emit`. A listener that needs I/O starts it and
 *   returns its promise: the bus does not wait, but logs a rejection.
 * - A listener error (thrown or rejected) is logged and never reaches the emitter: the change has committed and the
 *   user's request must not fail because a reaction failed.
 * - Payloads are plain JSON values (a process bridge may forward them over PostgreSQL LISTEN/NOTIFY), so the type
 *   of every event's payload must be JSON-serialisable: strings, numbers, booleans, null, arrays, plain objects.
 * - `origin` tells listeners whether the event happened in this process ("local") or was relayed from another
 *   process ("remote"). A bridge forwards only local events (`onAny`) and re-emits what it receives as remote.
 */

/** A JSON value (what survives JSON.stringify → JSON.parse unchanged). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An event map: event name → payload type (a JSON object). */
// biome-ignore lint/suspicious/noExplicitAny: constraint only; each event's payload is checked by JsonPayload.
export type EventMap = Record<string, any>;

/** Resolves to the payload type when it is a JSON object, else to `never` (a compile error at emit/on). */
export type JsonPayload<T> = T extends { [key: string]: JsonValue } ? T : never;

export type EventOrigin = "local" | "remote";

export interface EventMeta {
  origin: EventOrigin;
}

/** A listener; what it returns is ignored, except that a rejected promise is logged. */
export type EventListener<P> = (payload: P, meta: EventMeta) => unknown;

export type AnyEventListener<E extends EventMap> = <K extends keyof E & string>(
  event: K,
  payload: E[K],
  meta: EventMeta,
) => unknown;

/** Where listener failures go (a pino logger fits). */
export interface EventErrorLog {
  error(details: object, message: string): void;
}

export interface EventBus<E extends EventMap> {
  /** Tells every listener of `event`, then every `onAny` listener. Never throws because of a listener. */
  emit<K extends keyof E & string>(event: K, payload: JsonPayload<E[K]>, origin?: EventOrigin): void;
  /** Registers a listener; returns a function that removes it. */
  on<K extends keyof E & string>(event: K, listener: EventListener<E[K]>, name?: string): () => void;
  /** Registers a listener of every event (for a cross-process bridge, metrics, tests). */
  onAny(listener: AnyEventListener<E>, name?: string): () => void;
  /** Names of the listeners of an event (for diagnostics and wiring tests). */
  listeners(event: keyof E & string): string[];
}

interface Registration {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: stored type-erased; `on` keeps the typing at the call site.
  fn: (...args: any[]) => unknown;
}

export function createEventBus<E extends EventMap>(log: EventErrorLog): EventBus<E> {
  const byEvent = new Map<string, Registration[]>();
  const any: Registration[] = [];

  const add = (list: Registration[], registration: Registration) => {
    list.push(registration);
    return () => {
      const i = list.indexOf(registration);
      if (i >= 0) list.splice(i, 1);
    };
  };

  const call = (registration: Registration, event: string, args: unknown[]) => {
    const report = (err: unknown) =>
      log.error({ err, event, listener: registration.name }, "event listener failed");
    try {
      const result = registration.fn(...args);
      if (result && typeof (result as Promise<unknown>).then === "function")
        (result as Promise<unknown>).then(undefined, report);
    } catch (err) {
      report(err);
    }
  };

  return {
    emit(event, payload, origin = "local") {
      const meta: EventMeta = { origin };
      for (const r of [...(byEvent.get(event) ?? [])]) call(r, event, [payload, meta]);
      for (const r of [...any]) call(r, event, [event, payload, meta]);
    },
    on(event, listener, name) {
      let list = byEvent.get(event);
      if (!list) {
        list = [];
        byEvent.set(event, list);
      }
      return add(list, { name: name ?? (listener.name || "listener"), fn: listener });
    },
    onAny(listener, name) {
      return add(any, { name: name ?? (listener.name || "listener"), fn: listener });
    },
    listeners(event) {
      return [...(byEvent.get(event) ?? [])].map((r) => r.name);
    },
  };
}
