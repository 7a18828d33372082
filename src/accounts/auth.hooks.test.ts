import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anonymous, signIn } from "../../test/auth.ts";
import { movableClock } from "../../test/clock.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createToken } from "./api-token.service.ts";
import { staffActor } from "./policy.ts";

describe("request hooks: staff, CSRF, route guard", async () => {
  const clock = movableClock("2026-03-16T02:00:00Z");
  const { app, db, deps } = await createTestApp({ clock });
  app.get("/__test/whoami", { config: { policy: "public" } }, async (request) => ({
    staff: request.staff?.username ?? null,
    method: request.authMethod ?? null,
    csrf: typeof request.pageExtras?.csrfToken,
  }));
  app.post("/__test/form", { config: { policy: "public" } }, async () => ({ ok: true }));
  app.post("/api/v1/__test/read", { config: { policy: "catalog.read" } }, async (request) => ({
    user: request.staff?.username,
  }));
  app.get("/admin/__test/page", { config: { policy: "catalog.edit" } }, async () => "ok");
  const agency = await createAgency(db);
  const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });

  it("anonymous requests have no staff but get a lazily created CSRF token", async () => {
    const res = await app.inject({ url: "/__test/whoami" });
    assert.deepEqual(res.json(), { staff: null, method: null, csrf: "string" });
  });

  it("a session cookie sets request.staff", async () => {
    const s = await signIn(app, editor);
    const res = await app.inject({ url: "/__test/whoami", headers: { cookie: s.cookie } });
    assert.equal(res.json().staff, editor.username);
    assert.equal(res.json().method, "session");
  });

  it("POST without a CSRF token is rejected with csrf_invalid, with one it passes", async () => {
    const a = anonymous(app);
    const none = await app.inject({
      method: "POST",
      url: "/__test/form",
      headers: { cookie: a.cookie },
      payload: {},
    });
    assert.equal(none.statusCode, 403);
    assert.match(none.body, /csrf_invalid/);
    const wrong = await app.inject({
      method: "POST",
      url: "/__test/form",
      headers: { cookie: a.cookie },
      payload: { _csrf: "x".repeat(43) },
    });
    assert.equal(wrong.statusCode, 403);
    const ok = await app.inject({
      method: "POST",
      url: "/__test/form",
      headers: { cookie: a.cookie },
      payload: { _csrf: a.csrfToken },
    });
    assert.equal(ok.statusCode, 200);
    const header = await app.inject({ method: "POST", url: "/__test/form", headers: a.headers, payload: {} });
    assert.equal(header.statusCode, 200);
  });

  it("a token issued for another session (or anonymously) does not validate a signed-in request", async () => {
    const s = await signIn(app, editor);
    const a = anonymous(app);
    const sessionCookie = s.cookie.split("; ")[0] as string;
    const res = await app.inject({
      method: "POST",
      url: "/__test/form",
      headers: { cookie: `${sessionCookie}; ${a.cookie}`, "x-csrf-token": a.csrfToken },
    });
    assert.equal(res.statusCode, 403);
  });

  it("the route guard: anonymous → 401 (API) or redirect (page); wrong role → 403", async () => {
    const a = anonymous(app);
    const api = await app.inject({ method: "POST", url: "/api/v1/__test/read", headers: a.headers });
    assert.equal(api.statusCode, 401);
    const page = await app.inject({ url: "/admin/__test/page" });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, "/admin/login?next=%2Fadmin%2F__test%2Fpage");
    const s = await signIn(app, editor);
    const forbidden = await app.inject({ url: "/admin/__test/page", headers: s.headers });
    assert.equal(forbidden.statusCode, 403);
    const allowed = await app.inject({ method: "POST", url: "/api/v1/__test/read", headers: s.headers });
    assert.equal(allowed.statusCode, 200);
  });

  it("Bearer API tokens authenticate within their scopes and skip CSRF", async () => {
    const { token } = await createToken(deps, staffActor(editor), { name: "集成", scopes: ["catalog.read"] });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/__test/read",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user, editor.username);
    const bad = await app.inject({ url: "/__test/whoami", headers: { authorization: "Bearer gkt_nope" } });
    assert.equal(bad.statusCode, 401);
    const { token: narrow } = await createToken(deps, staffActor(editor), {
      name: "窄",
      scopes: ["record.read"],
    });
    const outOfScope = await app.inject({
      method: "POST",
      url: "/api/v1/__test/read",
      headers: { authorization: `Bearer ${narrow}` },
    });
    assert.equal(outOfScope.statusCode, 403);
  });

  it("sessions end after the idle timeout", async () => {
    const s = await signIn(app, editor);
    clock.advanceMinutes(deps.config.sessionIdleMinutes - 1);
    let res = await app.inject({ url: "/__test/whoami", headers: { cookie: s.cookie } });
    assert.equal(res.json().staff, editor.username, "still active just before the timeout");
    clock.advanceMinutes(deps.config.sessionIdleMinutes + 1);
    res = await app.inject({ url: "/__test/whoami", headers: { cookie: s.cookie } });
    assert.equal(res.json().staff, null);
    assert.match(String(res.headers["set-cookie"]), /gk_session=;/);
  });
});
