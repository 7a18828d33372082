import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DUMMY_HASH, hashPassword, needsRehash, verifyDummy, verifyPassword } from "./passwords.ts";

describe("passwords", () => {
  it("the dummy hash has the current argon2 parameters, so a check against it costs what a real one does", async () => {
    assert.equal(
      needsRehash(DUMMY_HASH),
      false,
      "regenerate DUMMY_HASH with hashPassword after changing them",
    );
    const real = await hashPassword("Correct-Horse-2026");
    assert.equal(DUMMY_HASH.split("$").slice(0, 4).join("$"), real.split("$").slice(0, 4).join("$"));
    assert.equal(await verifyDummy("Correct-Horse-2026"), false);
    assert.equal(await verifyPassword(real, "Correct-Horse-2026"), true);
  });
});
