import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { AppError, ERROR_CODES } from "./errors.ts";

const doc = fs.readFileSync(path.join(import.meta.dirname, "..", "docs", "errors.md"), "utf8");
/** Rows of the form "| `code` | status | …" in docs/errors.md. */
const documented = new Map(
  [...doc.matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [m[1] as string, Number(m[2])]),
);

describe("error codes", () => {
  it("every code in ERROR_CODES is documented in docs/errors.md with its status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.equal(
        documented.get(code),
        status,
        `docs/errors.md: ${code} missing or with a different status`,
      );
    }
  });
  it("docs/errors.md documents no code that does not exist", () => {
    for (const code of documented.keys())
      assert.ok(code in ERROR_CODES, `docs/errors.md lists unknown code ${code}`);
  });
  it("codes are snake_case and messages are Chinese", () => {
    for (const [code, { message }] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^[a-z][a-z0-9_]*$/);
      assert.match(message, /[\u4e00-\u9fff]/, `${code} needs a Chinese message`);
    }
  });
  it("AppError carries status, code and the default message", () => {
    const e = new AppError("agency_not_found");
    assert.equal(e.status, 404);
    assert.equal(e.code, "agency_not_found");
    assert.equal(e.message, ERROR_CODES.agency_not_found.message);
  });
});
