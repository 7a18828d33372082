/**
 * The route × role matrix over EVERY route the app registers (the accounts feature's onRoute table, so routes added
 * later by any feature are covered without editing this file), public ones and /api/v1 included:
 * - every route declares `config.policy` ("public" or a known action); a route under /admin or a staff API marked
 *   "public" fails, and no public route shows anonymous visitors a draft (a staff page wrongly marked public would);
 * - URL parameters are filled with REAL objects: the demo seed (every feature's own seeding) gives two agencies in
 *   different provinces their catalogs, records, applications and annual reports, and the features' services add
 *   what the seed lacks (attachments, an import, an application case, tokens, grants, overrides);
 * - per route: anonymous → sign-in redirect (pages) or 401; each of the 9 roles in the owning agency → 403 when the
 *   policy does not list it, and when it does, success on its own agency's real object (GET 2xx/3xx; a write with an
 *   empty form is refused by validation or the workflow — never 401/403/404/5xx);
 * - staff of another agency (all agency roles) requesting this agency's URLs and objects → 404 (or 403), never
 *   2xx/3xx; the agency's own staff requesting its URL with ANOTHER agency's object ids → 404, never 2xx/3xx, so a
 *   missing ownership check cannot hide behind a random id;
 * - every state-changing route refuses a request without a CSRF token; every public form is rate-limited.
 * Reports the coverage: every route is exercised, or the test names the routes it could not fill.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { anonymous, type Credentials, signIn } from "../../test/auth.ts";
import { createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createToken } from "../accounts/api-token.service.ts";
import type { RouteEntry } from "../accounts/auth.hooks.ts";
import { ACTIONS, type Action, ROLES, type Role, staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { NOTICE_2027 } from "../calendar/calendar.fixtures.ts";
import type { Db } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { runDutyNotices } from "../publishing/notification.service.ts";
import { ensureObligations } from "../publishing/obligation.service.ts";
import { FULL_CHECKLIST } from "../publishing/publishing.fixtures.ts";
import { addAttachment } from "../publishing/record-attachment.service.ts";
import { createRecord } from "../publishing/record-draft.service.ts";
import { advanceRecord } from "../publishing/record-workflow.service.ts";
import { DEMO_REPORT_YEAR } from "../reports/report.seed.ts";
import { hashToken } from "../requests/applicant-access.service.ts";
import { insertSession } from "../requests/applicant-online.repository.ts";
import { attachDisclosedFiles } from "../requests/request-files.service.ts";
import { seedDemo } from "../seed.ts";
import { UUID_PATTERN } from "../shared/ids.ts";

const PLATFORM: readonly Role[] = ["platform_admin", "security_admin", "audit_admin"];
const AGENCY_ROLES: readonly Role[] = ["agency_admin", "editor", "reviewer", "approver", "request_handler"];

/** Public URL prefixes: the portal, public applications, public data and sign-in. Anything else must be staff. */
const PUBLIC_URLS = [
  /^\/$/,
  /^\/(agencies|regions|search|apply|calendar|settings|accessibility|sitemap\.xml|robots\.txt|healthz|readyz)(\/|$)/,
  /^\/admin\/(login|setup)$/,
  /^\/api\/v1\/(agencies|records|calendar|openapi\.json)(\/|$)/,
];
/** Public API URLs that nonetheless belong to staff (they must never be marked public). */
const STAFF_API = /\/(worklist|imports|versions|lint|requests)(\/|$)/;

/** Routes lacking a valid policy (exported for the meta-test below). */
export function routePolicyProblems(routes: readonly RouteEntry[]): string[] {
  const problems: string[] = [];
  for (const r of routes) {
    if (r.policy === undefined) problems.push(`${r.method} ${r.url}: no config.policy`);
    else if (r.policy !== "public" && !Object.hasOwn(ACTIONS, r.policy))
      problems.push(`${r.method} ${r.url}: unknown policy "${r.policy}"`);
    else if (r.policy === "public" && (!PUBLIC_URLS.some((p) => p.test(r.url)) || STAFF_API.test(r.url)))
      problems.push(`${r.method} ${r.url}: a staff URL marked public`);
  }
  return problems;
}

/**
 * Unique (method, url) pairs, without the HEAD routes Fastify adds for GET routes. A route whose action depends on a
 * URL parameter (`config.policyByParam`) is one entry per value, the value in its URL and its own action as policy.
 */
function distinctRoutes(app: FastifyInstance): RouteEntry[] {
  const seen = new Set<string>();
  const gets = new Set(app.routeTable.filter((r) => r.method === "GET").map((r) => r.url));
  return app.routeTable
    .filter((r) => {
      if (r.method === "HEAD" && gets.has(r.url)) return false;
      const key = `${r.method} ${r.url}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .flatMap((r) => {
      const byParam = r.policyByParam;
      if (!byParam) return [r];
      const param = new RegExp(`:${byParam.param}(?![A-Za-z0-9_])`);
      assert.match(r.url, param, `${r.method} ${r.url}: policyByParam names a parameter the URL lacks`);
      return Object.entries(byParam.policies).map(([value, policy]) => ({
        ...r,
        url: r.url.replace(param, value),
        policy,
        policyByParam: undefined,
      }));
    });
}

/** Real values for the URL parameters of one agency's objects. */
type Ids = Record<string, string>;

const first = async <T>(q: Promise<T[]>): Promise<T | undefined> => (await q)[0];

async function realIds(db: Db, agency: { id: string; slug: string; region_id: string }): Promise<Ids> {
  const one = async (query: ReturnType<typeof sql<{ v: string }>>) =>
    (await first((await query.execute(db)).rows as unknown as Promise<{ v: string }[]>))?.v;
  const a = agency.id;
  const ids: Ids = { slug: agency.slug, agency: agency.slug, agencyId: a, regionId: agency.region_id };
  const put = (k: string, v: string | number | undefined | null) => {
    if (v !== undefined && v !== null) ids[k] = String(v);
  };
  const att = (
    await sql<{ record_id: string; id: string }>`
      SELECT record_id, id FROM record_attachments WHERE agency_id = ${a} ORDER BY id LIMIT 1`.execute(db)
  ).rows[0];
  put("attachment.record", att?.record_id);
  put("aid", att?.id);
  put(
    "record",
    await one(
      sql`SELECT id AS v FROM records WHERE agency_id = ${a} AND status = 'published' ORDER BY id LIMIT 1`,
    ),
  );
  put(
    "rereview",
    await one(
      sql`SELECT id AS v FROM records WHERE agency_id = ${a} AND disclosure <> '主动公开' ORDER BY id LIMIT 1`,
    ),
  );
  put(
    "oid",
    await one(sql`SELECT id AS v FROM record_obligations WHERE agency_id = ${a} ORDER BY id LIMIT 1`),
  );
  put("nid", await one(sql`SELECT id AS v FROM duty_notices WHERE agency_id = ${a} ORDER BY id LIMIT 1`));
  put(
    "versionId",
    await one(
      sql`SELECT id AS v FROM catalog_versions WHERE agency_id = ${a} ORDER BY version_no DESC LIMIT 1`,
    ),
  );
  const item = (
    await sql<{ id: string; stable_key: string }>`
      SELECT id, stable_key FROM catalog_items WHERE agency_id = ${a} ORDER BY id LIMIT 1`.execute(db)
  ).rows[0];
  put("itemId", item?.id);
  put("key", item?.stable_key);
  put(
    "importId",
    await one(sql`SELECT id AS v FROM catalog_imports WHERE agency_id = ${a} ORDER BY id LIMIT 1`),
  );
  put(
    "request",
    await one(sql`SELECT id AS v FROM info_requests WHERE agency_id = ${a} ORDER BY id LIMIT 1`),
  );
  const kase = (
    await sql<{ request_id: string; id: string }>`
      SELECT request_id, id FROM info_request_cases WHERE agency_id = ${a} ORDER BY id LIMIT 1`.execute(db)
  ).rows[0];
  put("case.request", kase?.request_id);
  put("caseId", kase?.id);
  const notice = (
    await sql<{ request_id: string; id: string }>`
      SELECT request_id, id FROM info_request_notices WHERE agency_id = ${a} AND kind <> 'consultation'
      ORDER BY id LIMIT 1`.execute(db)
  ).rows[0];
  const file = (
    await sql<{ request_id: string; id: string }>`
      SELECT request_id, id FROM info_request_files WHERE agency_id = ${a} ORDER BY id LIMIT 1`.execute(db)
  ).rows[0];
  put("file.request", file?.request_id);
  put("fileId", file?.id);
  put("notice.request", notice?.request_id);
  put("notice.file", notice ? `${notice.id}.html` : undefined);
  put("year", DEMO_REPORT_YEAR);
  put("revision", 1);
  return ids;
}

/** Fills a route's parameters from `ids`; returns undefined (with the missing names) when a value is lacking. */
export function fillParams(url: string, ids: Ids): { url: string } | { missing: string[] } {
  const missing: string[] = [];
  const value = (name: string): string => {
    let key = name;
    if (name === "id") {
      if (/\/records\/rereview\/:id/.test(url)) key = "rereview";
      else if (/\/records\/:id\/(attachments|files)\/:aid/.test(url)) key = "attachment.record";
      else if (/\/requests\/:id\/cases\/:caseId/.test(url)) key = "case.request";
      else if (/\/(requests|applications)\/:id\/notices\/:file/.test(url)) key = "notice.request";
      else if (/\/(requests|applications)\/:id\/files\/:fileId/.test(url)) key = "file.request";
      else if (/\/records\/:id/.test(url)) key = "record";
      else if (/\/(requests|applications)\/:id/.test(url)) key = "request";
      else if (/\/users\/:id/.test(url)) key = "user";
      else if (/\/tokens\/:id/.test(url)) key = "token";
      else if (/overrides\/:id/.test(url)) key = "override";
    } else if (name === "tokenId") {
      key = "userToken"; // /admin/users/:id/tokens/:tokenId: a token of the managed account
    } else if (name === "file") {
      if (/\/notices\/:file/.test(url)) key = "notice.file";
      else if (/reports\//.test(url)) key = "report.file";
      else if (/^\/calendar\//.test(url)) key = "calendar.file";
    } else if (name === "year" && /calendar/.test(url)) key = "calendar.year";
    const v = ids[key] ?? STATIC_PARAMS[key];
    if (v === undefined) {
      missing.push(`:${name}`);
      return "x";
    }
    return encodeURIComponent(v);
  };
  const filled = url
    .replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, (_m, name: string) => value(name))
    .replace(/\*$/, "x");
  return missing.length ? { missing } : { url: filled };
}

/** Parameters whose values are not objects of an agency. */
const STATIC_PARAMS: Record<string, string> = {
  "report.file": "report.html",
  "calendar.file": "2026.ics",
  "calendar.year": "2027",
  section: "proactive",
  kind: "receipt",
  name: "reports.annual-reminders",
  // A well-formed one-time link token that was never issued (the confirmation page shows for any token).
  token: `${"A".repeat(43)}.${"B".repeat(32)}`,
};

/**
 * Read-only roles (区域监督 supervisor, 审计管理员 audit administrator) change nothing of an agency: every write they
 * can reach must be refused by authorization (403/404) — a success, or a validation error that shows the write was
 * not refused first, fails the matrix. Their own work products and own account are the exceptions listed here.
 */
const READ_ONLY_ROLES: readonly Role[] = ["supervisor", "audit_admin"];
const READ_ONLY_OWN_WRITES: readonly { route: RegExp; why: string }[] = [
  { route: /^POST \/admin\/(logout|logout-all|account\/.*)$/, why: "their own account and sign-out" },
  {
    route: /^POST \/admin\/notifications\//,
    why: "their own notifications (通知) and notification settings",
  },
  {
    route: /^POST \/admin\/region-reports\//,
    why: "the region's own aggregate annual report (report.aggregate)",
  },
  {
    route: /^POST \/admin\/supervision\/reports$/,
    why: "an audit run over uploaded reports; stores nothing",
  },
];

/** Public forms that check a credential: an empty one is refused with this status and the form shown again. */
const CREDENTIAL_FORMS: Record<string, { status: number; why: string }> = {
  "POST /admin/login": { status: 401, why: "wrong user name or password (sign-in: src/accounts)" },
  "POST /apply/status": {
    status: 400,
    why: "an empty 查询码 and phone digits: the form again naming what is missing (a wrong pair is 404)",
  },
  "POST /apply/link/:token": { status: 404, why: "a one-time link never issued" },
};

const UUID_G = new RegExp(UUID_PATTERN, "g");

const isApi = (url: string) => url.startsWith("/api/");
/** Public routes guarded by the applicant's session (查询码 + phone digits or a one-time link). */
const GUARDED = /^\/apply\/applications\//;
const isRead = (method: string) => method === "GET" || method === "HEAD";

/** Runs tasks with limited concurrency. */
async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");

/**
 * What the demo seed does not create, made with the owning features' use cases (or their HTTP API): a published
 * record with an attachment, this period's obligations and duty notices, a catalog import preview.
 */
async function completeAgency(
  app: FastifyInstance,
  deps: Deps,
  agency: { id: string; slug: string },
  staff: TestUser,
): Promise<void> {
  const db = deps.db;
  const today = deps.clock.today();
  await ensureObligations(deps, agency.id, { asOf: today });
  await runDutyNotices(deps, agency.id, today, undefined);
  const item = (
    await sql<{ id: string }>`
      SELECT i.id FROM catalog_items i JOIN catalog_versions v ON v.agency_id = i.agency_id AND v.id = i.version_id
      WHERE i.agency_id = ${agency.id} AND v.status = 'published' ORDER BY i.id LIMIT 1`.execute(db)
  ).rows[0];
  const actor = staffActor(staff, null);
  const { id } = await createRecord(deps, actor, agency.id, {
    title: "矩阵测试：带附件的已发布信息",
    formedDate: today,
    ...(item ? { itemId: item.id } : {}),
    bodyHtml: "<p>矩阵测试正文</p>",
  });
  await addAttachment(deps, actor, agency.id, id, { fileName: "matrix.pdf", data: PDF });
  await advanceRecord(deps, actor, agency.id, id, "submit");
  await advanceRecord(deps, actor, agency.id, id, "review", { checklist: FULL_CHECKLIST });
  await advanceRecord(deps, actor, agency.id, id, "approve", { piiOverrideReason: "测试数据" });
  await advanceRecord(deps, actor, agency.id, id, "publish");
  // A catalog import preview: the published catalog exported as JSON and uploaded through the API.
  const { token } = await createToken(deps, actor, { name: "matrix", scopes: ["catalog.edit"] });
  const exported = await app.inject({ url: `/api/v1/agencies/${agency.slug}/catalog/export?format=json` });
  assert.equal(exported.statusCode, 200, exported.body.slice(0, 300));
  const boundary = "matrix-boundary";
  const upload = await app.inject({
    method: "POST",
    url: `/api/v1/agencies/${agency.slug}/catalog/imports`,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="catalog.json"\r\nContent-Type: application/json\r\n\r\n`,
      ),
      exported.rawPayload,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
  assert.equal(upload.statusCode, 201, upload.body.slice(0, 300));
  // Information disclosed with a reply (在线查看 / 电子文档), downloadable on the applicant's page.
  const answered = (
    await sql<{ id: string }>`
      SELECT id FROM info_requests WHERE agency_id = ${agency.id} AND status = 'concluded' AND form = 'electronic'
      ORDER BY id LIMIT 1`.execute(db)
  ).rows[0];
  assert.ok(answered, "the demo seed has an answered application with electronic delivery");
  await attachDisclosedFiles(deps, await getAgencyBySlug(db, agency.slug), answered.id, staffActor(staff), [
    { fileName: "matrix.pdf", data: PDF },
  ]);
}

type Who = Role | "anonymous" | "outsider";

describe("route × role matrix (every route, real objects of two agencies)", async () => {
  // A real job runner (queues, does not work): "run now" answers as in a process with jobs.
  const { app, deps, db } = await createTestApp({ jobs: true });
  await app.ready();
  await seedDemo(deps);
  const agencies = await db
    .selectFrom("agencies")
    .select(["id", "slug", "region_id"])
    .orderBy("slug")
    .execute();
  const own = agencies.find((a) => a.slug === "zalantun-hrss");
  const other = agencies.find((a) => a.slug === "liaocheng-hrss");
  assert.ok(own && other, "the demo seed creates the four seed agencies");
  const users = new Map<Role, TestUser>();
  for (const role of Object.keys(ROLES) as Role[]) {
    users.set(
      role,
      await createUser(db, {
        roles: [role],
        agencyId: PLATFORM.includes(role) || role === "supervisor" ? null : own.id,
        regionId: own.region_id,
      }),
    );
  }
  /** Staff of the other agency holding every agency role there. */
  const outsider = await createUser(db, { roles: [...AGENCY_ROLES], agencyId: other.id });
  const ownBoss = await createUser(db, { roles: [...AGENCY_ROLES], agencyId: own.id });
  await completeAgency(app, deps, own, ownBoss);
  await completeAgency(app, deps, other, outsider);

  // Platform objects: users (with a grant) of each agency, a calendar override, a regional report, a token each.
  const victim = await createUser(db, { roles: ["editor"], agencyId: own.id });
  const foreignVictim = await createUser(db, { roles: ["editor"], agencyId: other.id });
  const grantOf = async (userId: string) =>
    (await sql<{ id: string }>`SELECT id FROM role_grants WHERE user_id = ${userId} LIMIT 1`.execute(db))
      .rows[0]?.id;
  const sessions = new Map<Who, Credentials>();
  const credsOf = async (who: Who): Promise<Credentials> => {
    let c = sessions.get(who);
    if (!c) {
      c =
        who === "anonymous"
          ? anonymous(app)
          : await signIn(app, who === "outsider" ? outsider : (users.get(who) as TestUser));
      sessions.set(who, c);
    }
    return c;
  };
  const platformCreds = await credsOf("platform_admin");
  const override = await app.inject({
    method: "POST",
    url: "/admin/calendar/overrides",
    headers: platformCreds.headers,
    payload: { date: "2026-03-20", kind: "rest", name: "矩阵测试停电", category: "closure" },
  });
  assert.ok(override.statusCode < 400, override.body.slice(0, 300));
  const notice = await app.inject({
    method: "POST",
    url: "/api/v1/calendar-notices",
    headers: platformCreds.headers,
    payload: NOTICE_2027,
  });
  assert.ok(notice.statusCode < 400, notice.body.slice(0, 300));
  const regional = await app.inject({
    method: "POST",
    url: `/admin/region-reports/${own.region_id}/generate`,
    headers: (await credsOf("supervisor")).headers,
    payload: { year: String(DEMO_REPORT_YEAR) },
  });
  assert.ok(regional.statusCode < 400, regional.body.slice(0, 300));
  const published = await app.inject({
    method: "POST",
    url: `/admin/region-reports/${own.region_id}/${DEMO_REPORT_YEAR}/publish`,
    headers: (await credsOf("supervisor")).headers,
    payload: {},
  });
  assert.ok(published.statusCode < 400, published.body.slice(0, 300));
  const tokens = new Map<string, string>();
  for (const u of [...users.values(), outsider]) {
    const scope = (Object.keys(ACTIONS) as Action[]).find((a) =>
      u.grants.some((g) => (ACTIONS[a] as readonly Role[]).includes(g.role)),
    ) as Action;
    await createToken(deps, staffActor(u, null), { name: "matrix", scopes: [scope] });
    tokens.set(
      u.id,
      (await sql<{ id: string }>`SELECT id FROM api_tokens WHERE user_id = ${u.id} LIMIT 1`.execute(db))
        .rows[0]?.id as string,
    );
  }
  const overrideId = (await sql<{ id: string }>`SELECT id FROM calendar_overrides LIMIT 1`.execute(db))
    .rows[0]?.id;

  const tokenOf = async (u: TestUser) =>
    (await createToken(deps, staffActor(u, null), { name: "managed", scopes: ["record.read"] })).info.id;
  const ownIds: Ids = {
    ...(await realIds(db, own)),
    user: victim.id,
    userToken: await tokenOf(victim),
    grantId: (await grantOf(victim.id)) as string,
    ...(overrideId ? { override: overrideId } : {}),
  };
  const otherIds: Ids = {
    ...(await realIds(db, other)),
    user: foreignVictim.id,
    userToken: await tokenOf(foreignVictim),
    grantId: (await grantOf(foreignVictim.id)) as string,
    ...(overrideId ? { override: overrideId } : {}),
  };
  const foreignIds: Ids = { ...otherIds, slug: own.slug, agency: own.slug, agencyId: own.id };
  const userOf = (who: Who) =>
    who === "anonymous" ? undefined : who === "outsider" ? outsider : (users.get(who) as TestUser);
  /** The acting user's own token (a token URL names the caller's token). */
  const idsFor = (base: Ids, who: Who, foreignToken = false): Ids => {
    const u = userOf(who);
    const mine = u ? tokens.get(u.id) : undefined;
    const theirs = tokens.get(outsider.id === u?.id ? (users.get("editor") as TestUser).id : outsider.id);
    const token = foreignToken ? theirs : mine;
    return token ? { ...base, token } : base;
  };

  const routes = distinctRoutes(app);
  const staffRoutes = routes.filter((r) => r.policy && r.policy !== "public");
  const send = async (method: string, url: string, who: Who) => {
    const creds = await credsOf(who);
    const once = (to: string) =>
      app.inject({
        method: method as "GET",
        url: to,
        headers: creds.headers,
        ...(isRead(method) ? {} : { payload: {} }),
      });
    const res = await once(url);
    // An old URL answers 301/308 with its page under /admin/agencies/:agency/…: the page it moved to is judged.
    const moved = String(res.headers.location ?? "");
    if ((res.statusCode === 301 || res.statusCode === 308) && moved.startsWith("/admin/agencies/"))
      return once(moved);
    return res;
  };
  /** Session-ending routes get a fresh session so the shared ones stay valid. */
  const ENDS_SESSION = /^\/admin\/logout/;
  const sendOnce = async (method: string, url: string, who: Who) => {
    if (!ENDS_SESSION.test(url)) return send(method, url, who);
    const u = userOf(who);
    const creds = u ? await signIn(app, u) : anonymous(app);
    const res = await app.inject({ method: method as "GET", url, headers: creds.headers, payload: {} });
    sessions.delete(who); // signing out everywhere ends the shared session too
    return res;
  };

  it("discovers every feature's routes, public ones and the API included", () => {
    for (const url of ["/admin/login", "/admin/audit", "/", "/api/v1/agencies/:slug/records/worklist"])
      assert.ok(
        routes.some((r) => r.url === url),
        url,
      );
    assert.ok(staffRoutes.length >= 100, `found ${staffRoutes.length} staff routes`);
  });

  it("every route declares config.policy; no staff URL is marked public", () => {
    assert.deepEqual(routePolicyProblems(routes), []);
  });

  it("a route without a policy, with an unknown one, or a staff page marked public is reported", async () => {
    const { app: probe } = await createTestApp();
    probe.get("/admin/forgot-the-policy", async () => "oops");
    probe.post("/api/v1/typo", { config: { policy: "record.edit" as Action } }, async () => "oops");
    probe.get("/admin/agencies/:agency/secret", { config: { policy: "public" } }, async () => "oops");
    probe.get("/api/v1/agencies/:slug/requests/export", { config: { policy: "public" } }, async () => "x");
    await probe.ready();
    assert.deepEqual(routePolicyProblems(distinctRoutes(probe)).sort(), [
      "GET /admin/agencies/:agency/secret: a staff URL marked public",
      "GET /admin/forgot-the-policy: no config.policy",
      "GET /api/v1/agencies/:slug/requests/export: a staff URL marked public",
      'POST /api/v1/typo: unknown policy "record.edit"',
    ]);
  });

  it("every route's parameters are filled with real objects (coverage: 100% of routes)", () => {
    const unfilled = routes
      .map((r) => ({ r, f: fillParams(r.url, idsFor(ownIds, "editor")) }))
      .filter((x) => "missing" in x.f)
      .map((x) => `${x.r.method} ${x.r.url}: no real value for ${(x.f as { missing: string[] }).missing}`);
    assert.deepEqual(unfilled, []);
    console.log(
      `# route matrix: ${routes.length} routes (${staffRoutes.length} staff), 100% filled with real ids`,
    );
  });

  it("every public form is rate-limited (config.rateLimit)", () => {
    const missing = routes
      .filter((r) => r.policy === "public" && !isRead(r.method) && r.method !== "OPTIONS" && !r.rateLimited)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, [], "add config.rateLimit (src/http/rate-limits.ts) to these public routes");
  });

  it("public routes answer anonymous visitors on real objects and never show a draft", async () => {
    const draft = "矩阵测试草稿标题-不应公开";
    await createRecord(deps, staffActor(ownBoss, null), own.id, { title: draft, formedDate: "2026-03-01" });
    const failures: string[] = [];
    await pool(
      routes.filter((r) => r.policy === "public" && isRead(r.method) && !GUARDED.test(r.url)),
      4,
      async (route) => {
        const f = fillParams(route.url, ownIds);
        if (!("url" in f)) return;
        const res = await send(route.method, f.url, "anonymous");
        // The first-run setup page exists only until the first account is created.
        if (res.statusCode >= 400 && route.url !== "/admin/setup")
          failures.push(`${route.method} ${f.url}: ${res.statusCode}`);
        if (res.body.includes(draft)) failures.push(`${route.method} ${f.url}: shows a draft to anonymous`);
      },
    );
    assert.deepEqual(failures, [], failures.join("\n"));
  });

  it("public forms take anonymous visitors' submissions (refused by validation, never by authorization)", async () => {
    const failures: string[] = [];
    const forms = routes.filter(
      (r) => r.policy === "public" && !isRead(r.method) && r.method !== "OPTIONS" && !GUARDED.test(r.url),
    );
    assert.ok(forms.length > 0);
    for (const route of forms) {
      const f = fillParams(route.url, ownIds);
      if (!("url" in f)) continue;
      const res = await sendOnce(route.method, f.url, "anonymous");
      // Forms that check a credential answer an empty one with their own refusal, the form shown again.
      const check = CREDENTIAL_FORMS[`${route.method} ${route.url}`];
      const ok = check
        ? res.statusCode === check.status && res.headers["content-type"]?.toString().startsWith("text/html")
        : res.statusCode < 500 && ![401, 403, 404].includes(res.statusCode);
      if (!ok) failures.push(`${route.method} ${f.url}: got ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  });

  it("the applicant's guarded routes: nothing without the application's own session", async () => {
    const guarded = routes.filter((r) => GUARDED.test(r.url));
    assert.ok(guarded.length >= 5, "the applicant's page, notices, files, 补正 and sign-out");
    /** A session cookie of one application (as the look-up or a one-time link would open). */
    const sessionFor = async (agencyId: string, requestId: string) => {
      const token = randomBytes(32).toString("base64url");
      await insertSession(db, {
        agency_id: agencyId,
        request_id: requestId,
        token_hash: hashToken(token),
        via: "code",
        expires_at: new Date(deps.clock.now().getTime() + 3_600_000),
      });
      return `gk_applicant=${token}`;
    };
    const foreignRequest = otherIds.request as string;
    const visitor = anonymous(app);
    const failures: string[] = [];
    // Reads first, then writes (sign-out last: it ends the session).
    const ordered = [...guarded].sort(
      (a, b) => Number(!isRead(a.method)) - Number(!isRead(b.method)) || a.url.localeCompare(b.url),
    );
    for (const route of ordered) {
      const f = fillParams(route.url, ownIds);
      if (!("url" in f)) continue;
      const requestId = (
        /\/apply\/applications\/([0-9a-f-]{36})/.exec(f.url) as RegExpExecArray
      )[1] as string;
      const anon = await app.inject({
        method: route.method as "GET",
        url: f.url,
        ...(isRead(route.method)
          ? {}
          : { headers: { cookie: visitor.cookie, "x-csrf-token": visitor.csrfToken } }),
      });
      if (
        anon.statusCode !== 404 ||
        (!anon.body.includes("applicant_access_denied") && !anon.body.includes("链接无效或已过期"))
      )
        failures.push(
          `${route.method} ${f.url} without a session: expected the 404 access form, got ${anon.statusCode}`,
        );
      const foreign = await sessionFor(other.id, foreignRequest);
      const wrong = await app.inject({
        method: route.method as "GET",
        url: f.url,
        headers: { cookie: `${visitor.cookie}; ${foreign}`, "x-csrf-token": visitor.csrfToken },
      });
      if (wrong.statusCode !== 404)
        failures.push(`${route.method} ${f.url} with another application's session: got ${wrong.statusCode}`);
      const mine = await sessionFor(own.id, requestId);
      const res = await app.inject({
        method: route.method as "GET",
        url: f.url,
        headers: { cookie: `${visitor.cookie}; ${mine}`, "x-csrf-token": visitor.csrfToken },
      });
      const okStatus = isRead(route.method) ? res.statusCode < 300 : [303, 400, 409].includes(res.statusCode);
      if (!okStatus)
        failures.push(
          `${route.method} ${f.url} with its own session: got ${res.statusCode} ${res.body.slice(0, 120)}`,
        );
    }
    assert.deepEqual(failures, [], failures.join("\n"));
  });

  it("staff routes: anonymous, each role, another agency's staff, another agency's ids", async () => {
    const failures: string[] = [];
    type Case = { route: RouteEntry; who: Who; ids: "own" | "foreign" };
    const reads: Case[] = [];
    const writes: Case[] = [];
    for (const route of staffRoutes) {
      const list = isRead(route.method) ? reads : writes;
      list.push({ route, who: "anonymous", ids: "own" });
      if (/:/.test(route.url)) list.push({ route, who: "outsider", ids: "own" });
      for (const role of users.keys()) {
        list.push({ route, who: role, ids: "own" });
        if (/:(?!agency\b|slug\b)/.test(route.url.replace(/:(agency|slug)\b/g, "")))
          list.push({ route, who: role, ids: "foreign" });
      }
    }
    const consumed = new Set<string>();
    const check = async ({ route, who, ids }: Case) => {
      const allowed =
        who !== "anonymous" &&
        who !== "outsider" &&
        (ACTIONS[route.policy as Action] as readonly Role[]).includes(who);
      if (ids === "foreign" && (!allowed || PLATFORM.includes(who as Role))) return;
      // Another agency's ids under this agency's URL: only the object parameters come from the other agency.
      const f = fillParams(
        route.url,
        ids === "own" ? idsFor(ownIds, who, who === "outsider") : idsFor(foreignIds, who, true),
      );
      if (!("url" in f)) return; // reported by the coverage test
      const url = f.url;
      const same = fillParams(route.url, idsFor(ownIds, who));
      if (ids === "foreign" && "url" in same && url === same.url) return;
      const res = await sendOnce(route.method, url, who);
      const status = res.statusCode;
      const label = `${route.method} ${url} [${route.policy}] as ${who}${ids === "foreign" ? " (another agency's ids)" : ""}`;
      if (status >= 500) return void failures.push(`${label}: got ${status} ${res.body.slice(0, 200)}`);
      if (who === "anonymous") {
        const redirected = status === 303 && String(res.headers.location).startsWith("/admin/login");
        const ok = isApi(route.url) || !isRead(route.method) ? status === 401 : redirected;
        if (!ok)
          failures.push(
            `${label}: expected ${isRead(route.method) && !isApi(route.url) ? "sign-in redirect" : "401"}, got ${status}`,
          );
        return;
      }
      // A region's pages refuse other regions (403 or 404); an agency's pages and objects answer 404.
      const regional = /:region/.test(route.url);
      if (who === "outsider") {
        const holds = (ACTIONS[route.policy as Action] as readonly Role[]).some((r) =>
          AGENCY_ROLES.includes(r),
        );
        const expected = !holds || regional ? [403, 404] : [404];
        if (!expected.includes(status))
          failures.push(`${label}: another agency's staff got ${status}, expected ${expected.join("/")}`);
        return;
      }
      if (ids === "foreign") {
        const expected = regional ? [403, 404] : [404];
        if (!expected.includes(status))
          failures.push(
            `${label}: another agency's object answered ${status}, expected ${expected.join("/")}`,
          );
        return;
      }
      if (!allowed) {
        if (status !== 403) failures.push(`${label}: role not in policy, expected 403, got ${status}`);
        return;
      }
      if (
        READ_ONLY_ROLES.includes(who as Role) &&
        !isRead(route.method) &&
        !READ_ONLY_OWN_WRITES.some((w) => w.route.test(`${route.method} ${route.url}`))
      ) {
        if (status !== 403 && status !== 404)
          failures.push(`${label}: a read-only role's write was not refused (got ${status}), expected 403`);
        return;
      }
      // Authorized: a page or a redirect; a write with an empty form (or a page of an object in the wrong state)
      // is refused by validation or the workflow (400/409/413/415/422), never by authorization.
      // A destructive write finds nothing once an earlier allowed role consumed the same object.
      const destructive = route.method === "DELETE" || /\/(delete|commit|discard|revoke)$/.test(route.url);
      const inUrl = url.match(UUID_G) ?? [];
      if (destructive && status < 400) for (const id of inUrl) consumed.add(id);
      const wasConsumed = status === 404 && destructive && inUrl.some((id) => consumed.has(id));
      const success = (status !== 401 && status !== 403 && status !== 404) || wasConsumed;
      if (!success)
        failures.push(
          `${label}: an allowed role got ${status} ${res.body.slice(0, 160).replace(/\s+/g, " ")}`,
        );
    };
    // Reads first (writes may change the objects), then writes one at a time per route.
    await pool(reads, 6, check);
    await pool(writes, 1, check);
    assert.deepEqual(failures, [], `${failures.length} violations:\n${failures.join("\n")}`);
  });

  it("every state-changing route refuses a request without a CSRF token (403 csrf_invalid)", async () => {
    const failures: string[] = [];
    const writes = routes.filter((r) => !isRead(r.method) && r.method !== "OPTIONS");
    assert.ok(writes.length > 0);
    await pool(writes, 6, async (route) => {
      const who: Who =
        !route.policy || route.policy === "public"
          ? "anonymous"
          : ((ACTIONS[route.policy as Action] as readonly Role[])[0] as Role);
      const f = fillParams(route.url, idsFor(ownIds, who));
      if (!("url" in f)) return;
      const res = await app.inject({
        method: route.method as "POST",
        url: f.url,
        headers: { cookie: (await credsOf(who)).cookie },
        payload: {},
      });
      if (res.statusCode !== 403 || !res.body.includes("csrf_invalid"))
        failures.push(`${route.method} ${f.url}: expected 403 csrf_invalid, got ${res.statusCode}`);
    });
    assert.deepEqual(failures, [], failures.join("\n"));
  });
});
