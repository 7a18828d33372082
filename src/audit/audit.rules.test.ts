import assert from "node:assert/strict";
import { hkdfSync } from "node:crypto";
import { describe, it } from "node:test";
import {
  AUDIT_KEY_LABEL,
  auditKeyFrom,
  chainHash,
  findFirstBreak,
  GENESIS_HASH,
  headMac,
} from "./audit.rules.ts";

const row = {
  seq: 1,
  occurredAt: new Date("2026-11-23T10:00:00Z"),
  actorId: null,
  actorName: "测试",
  action: "test.x",
  agencyId: null,
  entityType: "test",
  entityId: "1",
  summary: "摘要",
  beforeJson: null,
  afterJson: null,
  ip: null,
  prevHash: GENESIS_HASH,
};

describe("audit chain key and hashes", () => {
  it("uses GONGKAI_AUDIT_KEY as-is, else an HKDF key derived from the secret with its own label", () => {
    const configured = "c".repeat(40);
    assert.deepEqual(auditKeyFrom({ auditKey: configured, secret: "s".repeat(40) }), Buffer.from(configured));
    const derived = auditKeyFrom({ secret: "s".repeat(40) });
    const expected = Buffer.from(
      hkdfSync("sha256", "s".repeat(40), Buffer.alloc(0), "gongkai-audit-chain", 32),
    );
    assert.equal(AUDIT_KEY_LABEL, "gongkai-audit-chain");
    assert.deepEqual(derived, expected);
    assert.notDeepEqual(derived, Buffer.from("s".repeat(40)), "the secret itself is not the key");
    assert.equal(auditKeyFrom({}), undefined);
  });

  it("keyed hashes depend on the key; the head MAC is in its own domain", () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const h1 = chainHash(row, "hmac-sha256", k1);
    assert.notEqual(h1, chainHash(row, "hmac-sha256", k2));
    assert.notEqual(h1, chainHash(row, "sha256"));
    assert.notEqual(headMac(k1, 1, h1), h1);
    assert.throws(() => chainHash(row, "hmac-sha256"), /key missing/);
  });

  it("findFirstBreak: table of chains", () => {
    const k = Buffer.alloc(32, 1);
    const keyed = (r: typeof row) => ({ ...r, hashAlg: "hmac-sha256", hash: chainHash(r, "hmac-sha256", k) });
    const plain = (r: typeof row) => ({ ...r, hashAlg: "sha256", hash: chainHash(r, "sha256") });
    const a = plain(row);
    const b = keyed({ ...row, seq: 2, prevHash: a.hash });
    const c = plain({ ...row, seq: 3, prevHash: b.hash });
    const start = () => ({ prevHash: GENESIS_HASH, seenKeyed: false, unkeyedRows: 0 });
    const cases: [string, (typeof a)[], Buffer | undefined, unknown][] = [
      ["unkeyed prefix then keyed", [a, b], k, undefined],
      ["unkeyed after keyed (downgrade)", [a, b, c], k, { seq: 3, problem: "unkeyed_after_keyed" }],
      ["keyed row without a key", [a, b], undefined, { seq: 2, problem: "key_missing" }],
      ["wrong key", [a, b], Buffer.alloc(32, 9), { seq: 2, problem: "hash_mismatch" }],
      ["link to a missing row", [a, { ...b, prevHash: "x" }], k, { seq: 2, problem: "broken_link" }],
      ["unknown algorithm", [{ ...a, hashAlg: "md5" }], k, { seq: 1, problem: "unknown_alg" }],
    ];
    for (const [name, rows, key, expected] of cases)
      assert.deepEqual(findFirstBreak(rows, start(), key), expected, name);
  });
});
