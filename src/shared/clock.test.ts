import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixedClock, shanghaiDate, shanghaiDateTime } from "./clock.ts";

describe("clock", () => {
  it("gives the Asia/Shanghai date, not the process time zone's", () => {
    // 2025-12-31T16:30Z is already 2026-01-01 00:30 in Shanghai.
    assert.equal(shanghaiDate(new Date("2025-12-31T16:30:00Z")), "2026-01-01");
    assert.equal(shanghaiDate(new Date("2025-12-31T15:59:59Z")), "2025-12-31");
    assert.equal(shanghaiDateTime(new Date("2025-12-31T16:30:00Z")), "2026-01-01 00:30");
  });
  it("fixedClock accepts a legal date or an instant", () => {
    assert.equal(fixedClock("2026-02-17").today(), "2026-02-17");
    assert.equal(fixedClock("2026-02-17T23:30:00+08:00").today(), "2026-02-17");
    assert.throws(() => fixedClock("not a date"));
  });
});
