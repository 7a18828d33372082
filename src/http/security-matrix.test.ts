/**
 * Security matrix over every route the app registers (discovered through the accounts feature's onRoute table, so
 * routes added later by any feature are covered automatically):
 * - every route declares `config.policy` ("public" or a known action);
 * - every staff route × anonymous / every role × own / other agency → anonymous 401 or sign-in redirect, a role the
 *   policy does not list 403, another agency's data 403/404, never a 5xx;
 * - every state-changing route without a CSRF token → 403 csrf_invalid;
 * - every public state-changing route is rate-limited.
 * Route parameters are filled in by name: `:slug`, `:agencySlug`, `:agency` → an agency slug; `:agencyId` → its id;
 * anything else → a random UUID. Features test their own resource-level isolation (a record of agency B requested by
 * agency A's staff) in their own tests; this matrix guarantees the route-level guard everywhere.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { anonymous, type Credentials, signIn } from "../../test/auth.ts";
import { createAgency, createUser, type TestAgency, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import type { RouteEntry } from "../accounts/auth.hooks.ts";
import { ACTIONS, type Action, ROLES, type Role } from "../accounts/policy.ts";

const PLATFORM: readonly Role[] = ["platform_admin", "security_admin", "audit_admin"];
const RANDOM_ID = "7d1c3f0e-0000-4000-8000-00000000abcd";

/** Routes lacking a valid policy (exported for the meta-test below). */
export function routePolicyProblems(routes: readonly RouteEntry[]): string[] {
  const problems: string[] = [];
  for (const r of routes) {
    if (r.policy === undefined) problems.push(`${r.method} ${r.url}: no config.policy`);
    else if (r.policy !== "public" && !Object.hasOwn(ACTIONS, r.policy))
      problems.push(`${r.method} ${r.url}: unknown policy "${r.policy}"`);
  }
  return problems;
}

/** Unique (method, url) pairs, without the HEAD routes Fastify adds for GET routes. */
function distinctRoutes(app: FastifyInstance): RouteEntry[] {
  const seen = new Set<string>();
  const gets = new Set(app.routeTable.filter((r) => r.method === "GET").map((r) => r.url));
  return app.routeTable.filter((r) => {
    if (r.method === "HEAD" && gets.has(r.url)) return false;
    if (r.url.startsWith("/__test")) return false;
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function fillParams(url: string, agency: TestAgency): string {
  return url
    .replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, (_m, name: string) => {
      if (/^agencyId$/i.test(name)) return agency.id;
      if (/agency|slug/i.test(name)) return agency.slug;
      return RANDOM_ID;
    })
    .replace(/\*$/, "x");
}

const isApi = (url: string) => url.startsWith("/api/");
const isRead = (method: string) => method === "GET" || method === "HEAD";

async function send(app: FastifyInstance, method: string, url: string, creds: Credentials | undefined) {
  return app.inject({
    method: method as "GET",
    url,
    ...(creds ? { headers: creds.headers } : {}),
    ...(isRead(method) ? {} : { payload: {} }),
  });
}

/** Runs tasks with limited concurrency. */
async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

describe("security matrix (every route × every role)", async () => {
  const { app, db } = await createTestApp();
  await app.ready();
  const own = await createAgency(db);
  const other = await createAgency(db);
  const users = new Map<Role, TestUser>();
  for (const role of Object.keys(ROLES) as Role[]) {
    users.set(
      role,
      await createUser(db, {
        roles: [role],
        agencyId: PLATFORM.includes(role) || role === "supervisor" ? null : own.id,
        regionId: own.regionId,
      }),
    );
  }
  const routes = distinctRoutes(app);
  const staffRoutes = routes.filter((r) => r.policy && r.policy !== "public");

  it("discovers the routes of the app", () => {
    assert.ok(
      routes.some((r) => r.url === "/admin/login"),
      "accounts routes",
    );
    assert.ok(
      routes.some((r) => r.url === "/admin/audit"),
      "audit routes",
    );
    assert.ok(
      routes.some((r) => r.url === "/"),
      "portal routes",
    );
    assert.ok(staffRoutes.length >= 20, `found ${staffRoutes.length} staff routes`);
  });

  it("every route declares config.policy (public or a known action)", () => {
    assert.deepEqual(routePolicyProblems(routes), []);
  });

  it("a route added without a policy is reported", async () => {
    const { app: probe } = await createTestApp();
    probe.get("/admin/forgot-the-policy", async () => "oops");
    probe.post("/api/v1/typo", { config: { policy: "record.edit" as Action } }, async () => "oops");
    await probe.ready();
    assert.deepEqual(routePolicyProblems(distinctRoutes(probe)).sort(), [
      "GET /admin/forgot-the-policy: no config.policy",
      'POST /api/v1/typo: unknown policy "record.edit"',
    ]);
  });

  it("every public route that accepts a form or upload is rate-limited (config.rateLimit)", () => {
    const missing = routes
      .filter((r) => r.policy === "public" && !isRead(r.method) && r.method !== "OPTIONS" && !r.rateLimited)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, [], "add config.rateLimit (src/http/rate-limits.ts) to these public routes");
  });

  it("anonymous → 401 or sign-in redirect; a role outside the policy → 403; another agency → 403/404; never 5xx", async () => {
    const failures: string[] = [];
    const cases: { route: RouteEntry; role: Role | "anonymous"; scope: "own" | "other" }[] = [];
    for (const route of staffRoutes) {
      cases.push({ route, role: "anonymous", scope: "own" });
      for (const role of users.keys()) {
        cases.push({ route, role, scope: "own" });
        if (/:/.test(route.url) && /agency|slug/i.test(route.url))
          cases.push({ route, role, scope: "other" });
      }
    }
    await pool(cases, 8, async ({ route, role, scope }) => {
      const url = fillParams(route.url, scope === "own" ? own : other);
      const creds = role === "anonymous" ? anonymous(app) : await signIn(app, users.get(role) as TestUser);
      const res = await send(app, route.method, url, creds);
      const label = `${route.method} ${url} [${route.policy}] as ${role} (${scope})`;
      const status = res.statusCode;
      if (status >= 500) failures.push(`${label}: ${status} ${res.body.slice(0, 200)}`);
      if (role === "anonymous") {
        const redirected = status === 303 && String(res.headers.location).startsWith("/admin/login");
        const ok = isApi(route.url) || !isRead(route.method) ? status === 401 : redirected;
        if (!ok)
          failures.push(
            `${label}: expected ${isRead(route.method) && !isApi(route.url) ? "redirect to sign-in" : "401"}, got ${status}`,
          );
        return;
      }
      const allowed = (ACTIONS[route.policy as Action] as readonly Role[]).includes(role);
      if (!allowed) {
        // Another agency's page is a 404 whatever the role (form routes authorize in the handler).
        if (status !== 403 && !(scope === "other" && status === 404))
          failures.push(`${label}: role not in policy, expected 403, got ${status}`);
        return;
      }
      if (scope === "other" && !PLATFORM.includes(role) && status >= 200 && status < 300)
        failures.push(`${label}: another agency's resource answered ${status}`);
      if (scope === "own" && status === 401) failures.push(`${label}: signed-in user got 401`);
    });
    assert.deepEqual(failures, [], `${failures.length} violations:\n${failures.join("\n")}`);
  });

  it("every state-changing route refuses a request without a CSRF token (403 csrf_invalid)", async () => {
    const failures: string[] = [];
    const writes = routes.filter((r) => !isRead(r.method) && r.method !== "OPTIONS");
    assert.ok(writes.length > 0);
    await pool(writes, 8, async (route) => {
      let cookie: string;
      if (!route.policy || route.policy === "public") cookie = anonymous(app).cookie;
      else {
        const role = (ACTIONS[route.policy as Action] as readonly Role[])[0] as Role;
        cookie = (await signIn(app, users.get(role) as TestUser)).cookie;
      }
      const url = fillParams(route.url, own);
      const res = await app.inject({ method: route.method as "POST", url, headers: { cookie }, payload: {} });
      if (res.statusCode !== 403 || !res.body.includes("csrf_invalid"))
        failures.push(`${route.method} ${url}: expected 403 csrf_invalid, got ${res.statusCode}`);
    });
    assert.deepEqual(failures, [], failures.join("\n"));
  });
});
