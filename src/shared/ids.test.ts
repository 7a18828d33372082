import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isUuid, UUID_PATTERN } from "./ids.ts";

describe("isUuid", () => {
  const cases: [string, boolean, string][] = [
    ["0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0d", true, "v7, lower case"],
    ["00000000-0000-0000-0000-000000000000", true, "nil UUID"],
    ["0190B1E2-7C1A-7A3B-9C4D-5E6F7A8B9C0D", true, "upper case (PostgreSQL accepts it)"],
    ["0190b1e27c1a7a3b9c4d5e6f7a8b9c0d", false, "no hyphens"],
    ["{0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0d}", false, "braces"],
    ["0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0", false, "one digit short"],
    ["0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0dd", false, "one digit long"],
    ["0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0g", false, "not hex"],
    [" 0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0d", false, "leading space"],
    ["", false, "empty"],
    ["../etc/passwd", false, "path"],
  ];
  for (const [s, expected, why] of cases)
    it(`${why}: ${JSON.stringify(s)}`, () => assert.equal(isUuid(s), expected));

  it("UUID_PATTERN composes into larger patterns", () => {
    const re = new RegExp(`^/records/(${UUID_PATTERN})$`);
    assert.equal(
      re.exec("/records/0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0d")?.[1],
      "0190b1e2-7c1a-7a3b-9c4d-5e6f7a8b9c0d",
    );
    assert.equal(re.exec("/records/x"), null);
  });
});
