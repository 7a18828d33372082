import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generate } from "otplib";
import { anonymous, csrfFromPage, mergeCookies, signIn } from "../../test/auth.ts";
import { movableClock } from "../../test/clock.ts";
import { createAgency, createUser, TEST_PASSWORD } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { listAuditEvents, verifyAuditChain } from "../audit/audit.service.ts";
import { ensureSetupToken } from "./setup.service.ts";

let ipCounter = 0;
/** Each test its own client address, so the per-IP rate limit of the sign-in form does not interfere. */
const nextIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describe("accounts web flows", async () => {
  const clock = movableClock("2026-03-16T02:00:00Z");
  const { app, db, deps } = await createTestApp({ clock });
  const agencyA = await createAgency(db);
  const agencyB = await createAgency(db);

  /** Sign in through the real form; returns the final cookie header and the response. */
  async function login(
    username: string,
    password: string,
    options: { totp?: string; ip?: string; next?: string } = {},
  ) {
    const ip = options.ip ?? nextIp();
    const form = await app.inject({ url: "/admin/login", remoteAddress: ip });
    let cookie = mergeCookies("", form.headers["set-cookie"]);
    const res = await app.inject({
      method: "POST",
      url: "/admin/login",
      remoteAddress: ip,
      headers: { cookie },
      payload: {
        _csrf: csrfFromPage(form.body) ?? "",
        username,
        password,
        totp: options.totp ?? "",
        next: options.next ?? "",
      },
    });
    cookie = mergeCookies(cookie, res.headers["set-cookie"]);
    return { res, cookie };
  }

  it("signs in with the form, sets an httpOnly SameSite session cookie and rotates the session", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agencyA.id });
    const first = await login(user.username, TEST_PASSWORD, { next: "/admin/account" });
    assert.equal(first.res.statusCode, 303);
    assert.equal(first.res.headers.location, "/admin/account");
    const setCookie = String(first.res.headers["set-cookie"]);
    assert.match(setCookie, /gk_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    const home = await app.inject({ url: "/admin", headers: { cookie: first.cookie } });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /工作台/);
    // Signing in again from the same browser ends the previous session (rotation).
    const form = await app.inject({ url: "/admin/login", headers: { cookie: first.cookie } });
    assert.equal(form.statusCode, 303, "already signed in → console");
    const sessionsBefore = await db
      .selectFrom("staff_sessions")
      .where("user_id", "=", user.id)
      .selectAll()
      .execute();
    const again = await app.inject({
      method: "POST",
      url: "/admin/login",
      remoteAddress: nextIp(),
      headers: { cookie: first.cookie },
      payload: { _csrf: csrfFromPage(home.body) ?? "", username: user.username, password: TEST_PASSWORD },
    });
    assert.equal(again.statusCode, 303);
    const sessionsAfter = await db
      .selectFrom("staff_sessions")
      .where("user_id", "=", user.id)
      .selectAll()
      .execute();
    assert.equal(sessionsAfter.length, sessionsBefore.length);
    assert.notDeepEqual(
      sessionsAfter.map((s) => s.token_hash),
      sessionsBefore.map((s) => s.token_hash),
    );
    const old = await app.inject({ url: "/admin", headers: { cookie: first.cookie } });
    assert.equal(old.statusCode, 303, "the old session cookie no longer works");
  });

  it("gives the same answer for a wrong password and an unknown user; failures are audited", async () => {
    // Throttling and the account lock are tested in lockout.test.ts.
    const user = await createUser(db, { roles: ["editor"], agencyId: agencyA.id });
    const wrong = await login(user.username, "wrong-password-123");
    const unknown = await login("nobody-here", "wrong-password-123");
    assert.equal(wrong.res.statusCode, 401);
    assert.equal(unknown.res.statusCode, 401);
    const message = (body: string) => /role="alert"[^>]*><p>([^<]+)<\/p>/.exec(body)?.[1];
    assert.equal(message(wrong.res.body), message(unknown.res.body));
    const failures = await listAuditEvents(db, { action: "auth.login_failed" });
    assert.ok(failures.length >= 2, "failed sign-ins are audited");
  });

  it("rate-limits the sign-in form per client address", async () => {
    const ip = nextIp();
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({ method: "POST", url: "/admin/login", remoteAddress: ip, payload: {} });
      last = res.statusCode;
    }
    assert.equal(last, 429);
  });

  it("a reset password must be changed before anything else; the change ends other sessions", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agencyA.id, mustChangePassword: true });
    const other = await signIn(app, user);
    const { res, cookie } = await login(user.username, TEST_PASSWORD);
    assert.equal(res.headers.location, "/admin/account/password");
    const blocked = await app.inject({ url: "/admin", headers: { cookie } });
    assert.equal(blocked.statusCode, 303);
    assert.equal(blocked.headers.location, "/admin/account/password");
    const form = await app.inject({ url: "/admin/account/password", headers: { cookie } });
    assert.match(form.body, /管理员设置的初始密码或临时密码/);
    assert.doesNotMatch(form.body, /管理员已重置您的密码/);
    const csrf = csrfFromPage(form.body) ?? "";
    const weak = await app.inject({
      method: "POST",
      url: "/admin/account/password",
      headers: { cookie },
      payload: {
        _csrf: csrf,
        currentPassword: TEST_PASSWORD,
        newPassword: "short",
        confirmPassword: "short",
      },
    });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /aria-invalid="true"/);
    assert.match(weak.body, /id="f-newPassword-error"/);
    const ok = await app.inject({
      method: "POST",
      url: "/admin/account/password",
      headers: { cookie },
      payload: {
        _csrf: csrf,
        currentPassword: TEST_PASSWORD,
        newPassword: "A-much-better-passphrase",
        confirmPassword: "A-much-better-passphrase",
      },
    });
    assert.equal(ok.statusCode, 303);
    assert.equal((await app.inject({ url: "/admin", headers: { cookie } })).statusCode, 200);
    assert.equal(
      (await app.inject({ url: "/admin", headers: { cookie: other.cookie } })).statusCode,
      303,
      "the other session was ended",
    );
  });

  it("TOTP: enrol with a code, then sign-in needs the code and rejects a replayed one", async () => {
    const user = await createUser(db, { roles: ["reviewer"], agencyId: agencyA.id });
    const s = await signIn(app, user);
    await app.inject({ method: "POST", url: "/admin/account/totp/begin", headers: s.headers });
    const page = await app.inject({ url: "/admin/account", headers: s.headers });
    const secret = /密钥：<code>([A-Z2-7]+)<\/code>/.exec(page.body)?.[1] as string;
    assert.ok(secret, "the secret is shown");
    assert.match(page.body, /otpauth:\/\/totp\//);
    assert.match(page.body, /<svg role="img"/);
    const epoch = Math.floor(clock.now().getTime() / 1000);
    const bad = await app.inject({
      method: "POST",
      url: "/admin/account/totp/confirm",
      headers: s.headers,
      payload: { code: "000000" === (await generate({ secret, epoch })) ? "111111" : "000000" },
    });
    assert.equal(bad.statusCode, 400);
    const ok = await app.inject({
      method: "POST",
      url: "/admin/account/totp/confirm",
      headers: s.headers,
      payload: { code: await generate({ secret, epoch }) },
    });
    assert.equal(ok.statusCode, 303);
    clock.advanceMinutes(1);
    const noCode = await login(user.username, TEST_PASSWORD);
    assert.equal(noCode.res.statusCode, 200);
    assert.match(noCode.res.body, /请输入手机应用中的 6 位数字/);
    const code = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const good = await login(user.username, TEST_PASSWORD, { totp: code });
    assert.equal(good.res.statusCode, 303);
    const replay = await login(user.username, TEST_PASSWORD, { totp: code });
    assert.equal(replay.res.statusCode, 401, "a code is accepted once");
  });

  it("sign-out and sign-out everywhere end sessions", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agencyA.id });
    const a = await signIn(app, user);
    const b = await signIn(app, user);
    const out = await app.inject({ method: "POST", url: "/admin/logout", headers: a.headers });
    assert.equal(out.statusCode, 303);
    assert.equal((await app.inject({ url: "/admin", headers: a.headers })).statusCode, 303);
    assert.equal((await app.inject({ url: "/admin", headers: b.headers })).statusCode, 200);
    const c = await signIn(app, user);
    await app.inject({ method: "POST", url: "/admin/logout-all", headers: c.headers });
    assert.equal((await app.inject({ url: "/admin", headers: b.headers })).statusCode, 303);
  });

  it("first-run set-up: a one-time link creates the three administrators (三员分立)", async () => {
    const { app: freshApp, deps: freshDeps } = await createTestApp();
    const token = (await ensureSetupToken(freshDeps)) as string;
    assert.ok(token);
    assert.equal((await freshApp.inject({ url: "/admin/setup?token=wrong" })).statusCode, 404);
    const form = await freshApp.inject({ url: `/admin/setup?token=${token}` });
    assert.equal(form.statusCode, 200);
    const cookie = mergeCookies("", form.headers["set-cookie"]);
    const payload: Record<string, string> = { _csrf: csrfFromPage(form.body) ?? "", token };
    for (const [role, name] of [
      ["platform_admin", "sysadmin"],
      ["security_admin", "secadmin"],
      ["audit_admin", "auditor"],
    ] as const) {
      payload[`${role}.username`] = name;
      payload[`${role}.displayName`] = `管理员${name}`;
      payload[`${role}.password`] = `${name}-Strong-Pass-1`;
    }
    const bad = await freshApp.inject({
      method: "POST",
      url: "/admin/setup",
      headers: { cookie },
      payload: { ...payload, "audit_admin.password": "auditor" },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="f-audit_admin-password-error"/);
    const done = await freshApp.inject({ method: "POST", url: "/admin/setup", headers: { cookie }, payload });
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /初始化完成/);
    const reuse = await freshApp.inject({ url: `/admin/setup?token=${token}` });
    assert.equal(reuse.statusCode, 404, "the link works once");
    assert.equal(await ensureSetupToken(freshDeps), undefined, "no new token once administrators exist");
    const roles = await freshDeps.db
      .selectFrom("role_grants")
      .innerJoin("staff_users", "staff_users.id", "role_grants.user_id")
      .select(["username", "role"])
      .orderBy("username")
      .execute();
    assert.deepEqual(roles, [
      { username: "auditor", role: "audit_admin" },
      { username: "secadmin", role: "security_admin" },
      { username: "sysadmin", role: "platform_admin" },
    ]);
  });

  it("security administrator creates an account with a one-time password and grants roles", async () => {
    const sec = await createUser(db, { roles: ["security_admin"] });
    const s = await signIn(app, sec);
    const res = await app.inject({
      method: "POST",
      url: "/admin/users",
      headers: s.headers,
      payload: { username: "new.editor", displayName: "新信息员", role: "editor", agencyId: agencyB.id },
    });
    assert.equal(res.statusCode, 201, res.body);
    const password = /<p><code>([^<]+)<\/code><\/p>/.exec(res.body)?.[1] as string;
    assert.ok(password && password.length >= 12);
    const created = await db
      .selectFrom("staff_users")
      .selectAll()
      .where("username", "=", "new.editor")
      .executeTakeFirstOrThrow();
    assert.equal(created.must_change_password, true);
    assert.equal(created.home_agency_id, agencyB.id);
    const dup = await app.inject({
      method: "POST",
      url: "/admin/users",
      headers: s.headers,
      payload: { username: "new.editor", displayName: "重复", role: "editor", agencyId: agencyB.id },
    });
    assert.equal(dup.statusCode, 409);
    assert.match(dup.body, /该用户名已被使用/);
    const grant = await app.inject({
      method: "POST",
      url: `/admin/users/${created.id}/grants`,
      headers: s.headers,
      payload: { role: "reviewer", agencyId: agencyB.id },
    });
    assert.equal(grant.statusCode, 303);
    const separation = await app.inject({
      method: "POST",
      url: `/admin/users/${created.id}/grants`,
      headers: s.headers,
      payload: { role: "audit_admin" },
    });
    assert.equal(separation.statusCode, 409, "a platform role cannot be added to an agency account");
    const events = await listAuditEvents(db, { entityId: created.id });
    assert.deepEqual(events.map((e) => e.action).sort(), ["user.create", "user.grant_role"]);
  });

  it("三员分立: nobody changes their own roles; the system administrator cannot read the audit log", async () => {
    const sec = await createUser(db, { roles: ["security_admin"] });
    const s = await signIn(app, sec);
    const self = await app.inject({
      method: "POST",
      url: `/admin/users/${sec.id}/grants`,
      headers: s.headers,
      payload: { role: "audit_admin" },
    });
    assert.equal(self.statusCode, 403);
    const sys = await createUser(db, { roles: ["platform_admin"] });
    const sysSession = await signIn(app, sys);
    assert.equal((await app.inject({ url: "/admin/audit", headers: sysSession.headers })).statusCode, 403);
    assert.equal((await app.inject({ url: "/admin/users", headers: sysSession.headers })).statusCode, 403);
    const auditor = await createUser(db, { roles: ["audit_admin"] });
    const a = await signIn(app, auditor);
    assert.equal((await app.inject({ url: "/admin/audit", headers: a.headers })).statusCode, 200);
    assert.equal((await app.inject({ url: "/admin/users", headers: a.headers })).statusCode, 403);
  });

  it("agency administrators manage only their own agency's staff", async () => {
    const adminA = await createUser(db, { roles: ["agency_admin"], agencyId: agencyA.id });
    const staffB = await createUser(db, { roles: ["editor"], agencyId: agencyB.id });
    const staffA = await createUser(db, { roles: ["editor"], agencyId: agencyA.id });
    const s = await signIn(app, adminA);
    const list = await app.inject({ url: "/admin/users", headers: s.headers });
    assert.ok(list.body.includes(staffA.username));
    assert.ok(!list.body.includes(staffB.username), "other agency's staff are not listed");
    assert.equal(
      (await app.inject({ url: `/admin/users/${staffB.id}`, headers: s.headers })).statusCode,
      404,
    );
    const disableB = await app.inject({
      method: "POST",
      url: `/admin/users/${staffB.id}/disable`,
      headers: s.headers,
    });
    assert.equal(disableB.statusCode, 404);
    const createInB = await app.inject({
      method: "POST",
      url: "/admin/users",
      headers: s.headers,
      payload: { username: "sneaky", displayName: "越权", role: "editor", agencyId: agencyB.id },
    });
    assert.equal(createInB.statusCode, 404);
    const supervisorGrant = await app.inject({
      method: "POST",
      url: `/admin/users/${staffA.id}/grants`,
      headers: s.headers,
      payload: { role: "security_admin" },
    });
    assert.equal(supervisorGrant.statusCode, 403);
    const disableA = await app.inject({
      method: "POST",
      url: `/admin/users/${staffA.id}/disable`,
      headers: s.headers,
    });
    assert.equal(disableA.statusCode, 303);
    const staffSession = await signIn(app, staffA);
    assert.equal(
      (await app.inject({ url: "/admin", headers: staffSession.headers })).statusCode,
      303,
      "disabled",
    );
  });

  it("escapes stored text (display names, audit summaries) in every page that shows it", async () => {
    const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const victim = await createUser(db, {
      roles: ["editor"],
      agencyId: agencyA.id,
      displayName: xss.slice(0, 50),
    });
    const sec = await createUser(db, { roles: ["security_admin"] });
    const auditor = await createUser(db, { roles: ["audit_admin"] });
    const s = await signIn(app, sec);
    await app.inject({ method: "POST", url: `/admin/users/${victim.id}/disable`, headers: s.headers });
    const pages = [
      { url: "/admin/users", who: s },
      { url: `/admin/users/${victim.id}`, who: s },
      { url: "/admin", who: await signIn(app, victim) },
      { url: "/admin/audit", who: await signIn(app, auditor) },
    ];
    for (const p of pages) {
      const res = await app.inject({ url: p.url, headers: p.who.headers });
      assert.equal(res.statusCode, p.url === "/admin" ? 303 : 200, p.url); // the victim is disabled
      assert.ok(!res.body.includes("<script>alert"), `${p.url} escapes`);
      assert.ok(!res.body.includes("<img src=x"), `${p.url} escapes`);
    }
    const list = await app.inject({ url: "/admin/users", headers: s.headers });
    assert.ok(list.body.includes("&lt;script&gt;alert(&quot;x&quot;)"));
  });

  it("auditors filter and export the log (the export is audited) and verify the chain", async () => {
    const auditor = await createUser(db, { roles: ["audit_admin"] });
    const a = await signIn(app, auditor);
    const filtered = await app.inject({ url: "/admin/audit?action=user.create", headers: a.headers });
    assert.equal(filtered.statusCode, 200);
    assert.match(filtered.body, /user\.create/);
    assert.doesNotMatch(filtered.body, /<code>auth\.login_failed<\/code>/);
    const csv = await app.inject({ url: "/admin/audit/export.csv?action=user.", headers: a.headers });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /text\/csv/);
    assert.match(csv.body, /^\uFEFF序号,/);
    const exported = await listAuditEvents(db, { action: "audit.export" });
    assert.equal(exported[0]?.actorId, auditor.id);
    const verify = await app.inject({ url: "/admin/audit/verify", headers: a.headers });
    assert.match(verify.body, /校验通过/);
    assert.equal((await verifyAuditChain(db, { key: deps.audit.key })).ok, true);
    const api = await app.inject({ url: "/api/v1/audit-events?action=audit.", headers: a.headers });
    assert.equal(api.json().events[0].action, "audit.export");
  });

  it("API tokens: created once-visible, usable as Bearer, revocable", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agencyA.id });
    const s = await signIn(app, user);
    const res = await app.inject({
      method: "POST",
      url: "/admin/account/tokens",
      headers: s.headers,
      payload: { name: "对接", scopes: "console.use", expiresInDays: "30" },
    });
    assert.equal(res.statusCode, 200);
    const token = /(gkt_[A-Za-z0-9_-]{43})/.exec(res.body)?.[1] as string;
    assert.ok(token);
    const stored = await db
      .selectFrom("api_tokens")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, token, "hashed at rest");
    const me = await app.inject({ url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.json().username, user.username);
    const bad = await app.inject({
      method: "POST",
      url: "/admin/account/tokens",
      headers: s.headers,
      payload: { name: "越权", scopes: "audit.read" },
    });
    assert.equal(bad.statusCode, 400, "scopes are limited to the user's own actions");
    await app.inject({
      method: "POST",
      url: `/admin/account/tokens/${stored.id}/revoke`,
      headers: s.headers,
    });
    const after = await app.inject({ url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
    assert.equal(after.statusCode, 401);
  });

  it("public visitors get a CSRF token on forms; the sign-in form without it is refused", async () => {
    const a = anonymous(app);
    const res = await app.inject({
      method: "POST",
      url: "/admin/login",
      remoteAddress: nextIp(),
      headers: { cookie: a.cookie },
      payload: { username: "x", password: "y" },
    });
    assert.equal(res.statusCode, 403);
  });
});
