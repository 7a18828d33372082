import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatLsn, lagBytes, parseLsn, replicaUnavailable } from "./replica.rules.ts";

describe("WAL positions", () => {
  for (const [text, value] of [
    ["0/0", 0n],
    ["0/3000060", 0x3000060n],
    ["16/B374D848", (0x16n << 32n) | 0xb374d848n],
    ["FFFFFFFF/FFFFFFFF", 0xffffffffffffffffn],
  ] as const)
    it(`${text} ⇄ ${value}`, () => {
      assert.equal(parseLsn(text), value);
      assert.equal(formatLsn(value), text);
    });
  it("orders positions across the 32-bit boundary (a string comparison would not)", () => {
    assert.ok(parseLsn("1/0") > parseLsn("0/FFFFFFFF"));
    assert.ok(parseLsn("A/10") > parseLsn("9/FFFFFF00"));
    assert.ok(parseLsn("0/10000000") > parseLsn("0/9FFFFFF"));
  });
  for (const bad of ["", "0", "0/", "/1", "G/1", "123456789/0", "0/1/2"])
    it(`refuses "${bad}"`, () => assert.throws(() => parseLsn(bad), /not a WAL position/));
  it("lag in bytes: never negative", () => {
    assert.equal(lagBytes(parseLsn("0/3000100"), parseLsn("0/3000000")), 256);
    assert.equal(lagBytes(parseLsn("1/0"), parseLsn("0/FFFFFFFF")), 1);
    assert.equal(lagBytes(parseLsn("0/3000000"), parseLsn("0/3000100")), 0);
  });
});

describe("which errors send a public read back to the primary", () => {
  const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
  for (const [label, error, expected] of [
    ["connection refused", pgError("ECONNREFUSED"), true],
    ["host unreachable", pgError("EHOSTUNREACH"), true],
    ["connection failure (08006)", pgError("08006"), true],
    ["admin shutdown (57P01)", pgError("57P01"), true],
    ["cannot connect now: starting up (57P03)", pgError("57P03"), true],
    ["database dropped (57P04)", pgError("57P04"), true],
    ["database does not exist there (3D000)", pgError("3D000"), true],
    ["password refused (28P01)", pgError("28P01"), true],
    ["recovery conflict cancelled the query (40001)", pgError("40001"), true],
    ["pg connect timeout", new Error("timeout exceeded when trying to connect"), true],
    ["pg lost connection", new Error("Connection terminated unexpectedly"), true],
    ["a write on the read-only standby (25006): a bug, must fail", pgError("25006"), false],
    ["statement timeout (57014): the query's own fault", pgError("57014"), false],
    ["invalid input (22P02)", pgError("22P02"), false],
    ["undefined table (42P01)", pgError("42P01"), false],
    ["a plain bug", new TypeError("x is undefined"), false],
    ["not an Error", "ECONNREFUSED", false],
  ] as const)
    it(`${label} → ${expected ? "primary" : "fails"}`, () =>
      assert.equal(replicaUnavailable(error), expected));
});
