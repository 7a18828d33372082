import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEventBus, type EventMeta } from "./event-bus.ts";

interface TestEvents {
  "thing.done": { id: string; n: number };
  "thing.gone": { id: string };
}

function bus() {
  const errors: { details: Record<string, unknown>; message: string }[] = [];
  const events = createEventBus<TestEvents>({
    error: (details, message) => errors.push({ details: details as Record<string, unknown>, message }),
  });
  return { events, errors };
}

describe("event bus", () => {
  it("calls the listeners of an event synchronously, in registration order, with origin local", () => {
    const { events } = bus();
    const calls: string[] = [];
    events.on("thing.done", (p, meta) => {
      calls.push(`a:${p.id}:${p.n}:${meta.origin}`);
    });
    events.on("thing.done", (p) => {
      calls.push(`b:${p.id}`);
    });
    events.on("thing.gone", () => {
      calls.push("gone");
    });
    events.emit("thing.done", { id: "x", n: 1 });
    assert.deepEqual(calls, ["a:x:1:local", "b:x"], "synchronous: done before emit returns");
  });

  it("logs a throwing listener and still calls the others; emit never throws", () => {
    const { events, errors } = bus();
    const calls: string[] = [];
    events.on(
      "thing.done",
      () => {
        throw new Error("boom");
      },
      "broken",
    );
    events.on("thing.done", () => {
      calls.push("second");
    });
    assert.doesNotThrow(() => events.emit("thing.done", { id: "x", n: 1 }));
    assert.deepEqual(calls, ["second"]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.details.event, "thing.done");
    assert.equal(errors[0]?.details.listener, "broken");
    assert.equal((errors[0]!.details.err as Error).message, "boom");
  });

  it("logs a rejected promise of an async listener", async () => {
    const { events, errors } = bus();
    events.on("thing.gone", async () => {
      throw new Error("later");
    });
    events.emit("thing.gone", { id: "y" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 1);
    assert.equal((errors[0]!.details.err as Error).message, "later");
  });

  it("unsubscribes, lists listener names, and passes every event (with origin) to onAny", () => {
    const { events } = bus();
    const seen: [string, unknown, EventMeta][] = [];
    const off = events.on("thing.done", () => {}, "counter");
    events.onAny((event, payload, meta) => {
      seen.push([event, payload, meta]);
    }, "bridge");
    assert.deepEqual(events.listeners("thing.done"), ["counter"]);
    off();
    assert.deepEqual(events.listeners("thing.done"), []);
    events.emit("thing.gone", { id: "z" }, "remote");
    assert.deepEqual(seen, [["thing.gone", { id: "z" }, { origin: "remote" }]]);
  });

  it("refuses, at compile time, an event whose payload is not JSON (a bridge could not relay it)", () => {
    const events = createEventBus<{ "bad.event": { at: Date } }>({ error: () => {} });
    let called = false;
    events.on("bad.event", () => {
      called = true;
    });
    // @ts-expect-error the payload type resolves to never: Date is not a JSON value.
    events.emit("bad.event", { at: new Date(0) });
    assert.ok(called, "the runtime still delivers; the type check is what refuses it");
  });
});
