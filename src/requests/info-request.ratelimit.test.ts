import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csrfFromPage, mergeCookies } from "../../test/auth.ts";
import { createAgency, fillGuideContact } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";

// Own app instance: the rate-limit store is per app, so other test files do not interfere.
const { app, db } = await createTestApp();
const agency = await createAgency(db);
await fillGuideContact(db, agency.id);

async function visitor(url: string) {
  const page = await app.inject({ url });
  return { token: csrfFromPage(page.body) as string, cookie: mergeCookies("", page.headers["set-cookie"]) };
}

describe("rate limits of the public application routes", () => {
  it("status look-ups: 10 per minute, then 429 rate_limited", async () => {
    const v = await visitor("/apply/status");
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await app.inject({
        method: "POST",
        url: "/apply/status",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: v.cookie },
        payload: new URLSearchParams({ _csrf: v.token, code: "AAAA-BBBB-CCCC", last4: "1234" }).toString(),
      });
      codes.push(res.statusCode);
      if (i === 10) assert.match(res.body, /rate_limited/);
    }
    assert.deepEqual(codes, [...Array(10).fill(404), 429]);
  });

  it("submissions: 10 per minute, then 429", async () => {
    const url = `/agencies/${agency.slug}/apply`;
    const v = await visitor(url);
    let last = 0;
    for (let i = 0; i < 11; i++) {
      const res = await app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: v.cookie },
        payload: new URLSearchParams({ _csrf: v.token, step: "search", infoTitle: "测试" }).toString(),
      });
      last = res.statusCode;
    }
    assert.equal(last, 429);
  });
});
