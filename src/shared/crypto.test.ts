import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contentStamp, deriveSubKey, isSealed, openString, parseKey32, sealString } from "./crypto.ts";

const key = parseKey32("0123456789abcdef".repeat(4)) as Buffer;

describe("shared crypto", () => {
  it("parses 32-byte keys in hex or base64 and rejects others", () => {
    assert.equal(key.length, 32);
    assert.equal(parseKey32(Buffer.alloc(32, 7).toString("base64"))?.length, 32);
    assert.equal(parseKey32("abcd"), undefined);
    assert.equal(parseKey32(undefined), undefined);
  });

  it("round-trips and binds the ciphertext to its context", () => {
    const sealed = sealString(key, "JBSWY3DPEHPK3PXP", "user-1");
    assert.ok(isSealed(sealed));
    assert.ok(!sealed.includes("JBSWY3DPEHPK3PXP"));
    assert.notEqual(sealString(key, "JBSWY3DPEHPK3PXP", "user-1"), sealed, "random IV");
    assert.equal(openString(key, sealed, "user-1"), "JBSWY3DPEHPK3PXP");
    assert.throws(() => openString(key, sealed, "user-2"));
    assert.throws(() => openString(deriveSubKey(key, "other"), sealed, "user-1"));
    const raw = Buffer.from(sealed.slice(5), "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    assert.throws(() => openString(key, `gcm1:${raw.toString("base64")}`, "user-1"));
    assert.throws(() => openString(key, "JBSWY3DPEHPK3PXP", "user-1"), /not a sealed/);
  });

  it("derives distinct sub-keys per label", () => {
    assert.notDeepEqual(deriveSubKey(key, "a"), deriveSubKey(key, "b"));
    assert.deepEqual(deriveSubKey(key, "a"), deriveSubKey(key, "a"));
  });
});

describe("contentStamp", () => {
  it("is the same for the same value, and differs for any change", () => {
    const a = contentStamp({ title: "关于社保", body: "x" });
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.equal(contentStamp({ title: "关于社保", body: "x" }), a);
    assert.notEqual(contentStamp({ title: "关于社保", body: "y" }), a);
  });
});
