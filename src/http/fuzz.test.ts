/**
 * Zero 500s from input: every route the app registers (its own route table, so a route added tomorrow is fuzzed
 * tomorrow) × hostile values in path parameters, query strings and bodies — NUL bytes, invalid UTF-8, numbers out of
 * range, malformed ids, non-UUID agency parameters, traversal paths, truncated multipart bodies — as an anonymous
 * visitor and as signed-in staff of several roles (with a valid CSRF token, so bodies reach the handlers). Every
 * response must be a specific 4xx (or 2xx/3xx); the test lists every 5xx it saw.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anonymous, type Credentials, signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";

const { app, db } = await createTestApp();
await app.ready();
const agency = await createAgency(db);
const identities: [string, Credentials][] = [
  ["anonymous", anonymous(app)],
  ["agency_admin", await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: agency.id }))],
  ["platform_admin", await signIn(app, await createUser(db, { roles: ["platform_admin"], agencyId: null }))],
];

/** Hostile values for path parameters (already percent-encoded as they would travel in a URL). */
const PARAM_VALUES = [
  "%00",
  "%FF%FE",
  "99999999999999999999999",
  "-1",
  "..%2F..%2Fetc%2Fpasswd",
  "not-a-uuid",
];
/** Hostile query strings (common parameter names of the app, each with a bad value). */
const QUERIES = [
  "agency=%00&item=%00&q=%00&page=%00",
  "agency=not-a-uuid&page=99999999999999999999&year=-99999999999&limit=1e309",
  "agency=%FF%FE&q=%E4%B8&from=2026-13-45&to=x&status=%00&sort=%00",
  `agency=${agency.slug}&page=-1&year=99999&id=%00&type=%00&format=%00`,
];

function fill(url: string, value: string): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, () => value).replace(/\*$/, value);
}

function bodies(creds: Credentials): { contentType: string; payload: string | Buffer }[] {
  const csrf = encodeURIComponent(creds.csrfToken);
  const boundary = "----gkfuzz";
  return [
    {
      contentType: "application/x-www-form-urlencoded",
      payload: `_csrf=${csrf}&title=%00&name=%00&username=%00&password=%00&body=%FF%FE&year=99999999999999999999&agency=not-a-uuid&id=%00&itemId=%00&date=2026-99-99&formedDate=%00&amount=1e309&page=-1`,
    },
    {
      contentType: "application/json",
      payload: JSON.stringify({
        _csrf: creds.csrfToken,
        title: "\u0000",
        name: "a\u0000b",
        year: 1e300,
        page: -99999999999,
        id: "not-a-uuid",
        agency: "\ud800",
        items: [{ name: "\u0000" }],
      }),
    },
    {
      // Truncated multipart body: the closing boundary never arrives.
      contentType: `multipart/form-data; boundary=${boundary}`,
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${creds.csrfToken}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\nContent-Type: application/octet-stream\r\n\r\nPK\u0003\u0004word/`,
    },
  ];
}

async function limit<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

describe("fuzz: every route × hostile input → never a 5xx", () => {
  const seen = new Set<string>();
  const routes = app.routeTable.filter((r) => {
    const key = `${r.method} ${r.url}`;
    if (r.method === "HEAD" || r.method === "OPTIONS" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  it("covers the app's routes", () => {
    assert.ok(routes.length >= 100, `found ${routes.length} routes`);
  });

  it("answers every hostile request with a specific 4xx (or 2xx/3xx)", async (t) => {
    const requests: {
      method: string;
      url: string;
      who: string;
      creds: Credentials;
      body?: { contentType: string; payload: string | Buffer };
    }[] = [];
    const extra = [
      "/static/../x",
      "/static/..%2f..%2fetc%2fpasswd",
      "/static/%2e%2e/%2e%2e/x",
      "/%00",
      "/agencies/%00",
      `/agencies/${agency.slug}/records?item=%00`,
      "/agencies/%FF%FE/catalog",
    ];
    for (const [who, creds] of identities) {
      for (const url of extra) requests.push({ method: "GET", url, who, creds });
      for (const r of routes) {
        const hasParams = /[:*]/.test(r.url);
        const urls = hasParams ? PARAM_VALUES.map((v) => fill(r.url, v)) : [r.url];
        const withQuery = [...urls, ...QUERIES.map((q) => `${fill(r.url, agency.slug)}?${q}`)];
        for (const url of withQuery) {
          if (r.method === "GET") requests.push({ method: r.method, url, who, creds });
          else for (const body of bodies(creds)) requests.push({ method: r.method, url, who, creds, body });
        }
      }
    }
    const failures: string[] = [];
    await limit(requests, 4, async (q) => {
      const res = await app.inject({
        method: q.method as "GET",
        url: q.url,
        headers: {
          cookie: q.creds.cookie,
          "x-request-id": "fuzz-request",
          ...(q.body ? { "content-type": q.body.contentType } : {}),
        },
        ...(q.body ? { payload: q.body.payload } : {}),
      });
      if (res.statusCode >= 500)
        failures.push(
          `${res.statusCode} ${q.who} ${q.method} ${q.url} ${q.body?.contentType ?? ""} ${res.body.slice(0, 160)}`,
        );
    });
    t.diagnostic(
      `${requests.length} requests over ${routes.length} routes × ${identities.length} identities; ${failures.length} responses ≥ 500`,
    );
    assert.deepEqual(failures, []);
  });
});
