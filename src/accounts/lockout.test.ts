/**
 * Issue #13: a lockout that cannot be used to deny service. One address guessing one account is slowed down with
 * growing delays (per account × client address) — other people signing in to that account are not; the account
 * itself is locked only under many failures from many addresses, and the security administrator is told. Tested
 * over HTTP behind a trusted reverse proxy (TRUST_PROXY) with several client addresses.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anonymous, signIn } from "../../test/auth.ts";
import { movableClock } from "../../test/clock.ts";
import { createAgency, createUser, TEST_PASSWORD } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { throttleDelaySeconds } from "./accounts.rules.ts";
import { attemptLogin } from "./sign-in.service.ts";

const PROXY = "10.0.0.1";

describe("throttle delays (pure)", () => {
  it("none for the free failures, then 15 s doubling, capped at the lock minutes", () => {
    const p = { freeFailures: 5, lockMinutes: 15 };
    const table: [number, number][] = [
      [1, 0],
      [4, 0],
      [5, 15],
      [6, 30],
      [7, 60],
      [10, 480],
      [11, 900],
      [40, 900],
    ];
    for (const [failures, seconds] of table)
      assert.equal(throttleDelaySeconds(failures, p), seconds, `${failures}`);
  });
});

describe("sign-in lockout behind a reverse proxy (issue #13)", async () => {
  const clock = movableClock("2026-03-16T02:00:00Z");
  const { app, db, deps } = await createTestApp({
    clock,
    config: { trustProxy: [PROXY], loginAccountLockFailures: 12, loginAccountLockAddresses: 4 },
  });
  const agency = await createAgency(db);
  const security = await createUser(db, { roles: ["security_admin"] });

  const login = (client: string, username: string, password: string) => {
    const a = anonymous(app);
    return app.inject({
      method: "POST",
      url: "/admin/login",
      remoteAddress: PROXY,
      headers: {
        cookie: a.cookie,
        "x-forwarded-for": client,
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: `_csrf=${encodeURIComponent(a.csrfToken)}&username=${username}&password=${encodeURIComponent(password)}`,
    });
  };
  const advanceSeconds = (s: number) => clock.advanceMinutes(s / 60);

  it("slows down one address with growing delays while another address signs in normally", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const attacker = "203.0.113.10";
    for (let i = 0; i < deps.config.loginMaxFailures; i++)
      assert.equal((await login(attacker, user.username, "wrong-password-1")).statusCode, 401);
    const throttled = await login(attacker, user.username, TEST_PASSWORD);
    assert.equal(throttled.statusCode, 429, "even the right password waits");
    assert.equal(throttled.headers["retry-after"], "15");
    assert.match(throttled.body, /登录失败次数过多/);
    // The account's owner, elsewhere, is not affected.
    const owner = await login("198.51.100.20", user.username, TEST_PASSWORD);
    assert.equal(owner.statusCode, 303, "another address signs in");
    // The delay grows: after it passes, one more failure blocks for 30 s.
    advanceSeconds(16);
    assert.equal((await login(attacker, user.username, "wrong-password-1")).statusCode, 401);
    const again = await login(attacker, user.username, "wrong-password-1");
    assert.equal(again.statusCode, 429);
    assert.equal(again.headers["retry-after"], "30");
    // The audit log names the client address (behind the proxy), not the proxy.
    const audit = await listAuditEvents(db, { action: "auth.login_failed", entityId: user.id });
    assert.equal(audit[0]?.ip, attacker);
    advanceSeconds(31);
    assert.equal((await login(attacker, user.username, TEST_PASSWORD)).statusCode, 303, "the delay ends");
    const row = await db
      .selectFrom("login_failures")
      .selectAll()
      .where("username", "=", user.username)
      .executeTakeFirst();
    assert.equal(row, undefined, "a successful sign-in clears the count");
  });

  it("throttles unknown usernames the same way (nothing about existence is revealed)", async () => {
    const client = "203.0.113.11";
    const statuses: number[] = [];
    for (let i = 0; i <= deps.config.loginMaxFailures; i++)
      statuses.push((await login(client, "nobody-at-all", "wrong-password-1")).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  it("locks the account only under many failures from many addresses, and tells the security administrator", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const clients = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"];
    // 3 failures from each of 4 addresses = 12: below every per-address delay, at the distributed threshold.
    for (let round = 0; round < 3; round++)
      for (const c of clients)
        assert.equal((await login(c, user.username, "wrong-password-1")).statusCode, 401);
    const locked = await login("198.51.100.30", user.username, TEST_PASSWORD);
    assert.equal(locked.statusCode, 401, "now locked for everyone");
    const events = await listAuditEvents(db, { action: "auth.account_locked", entityId: user.id });
    assert.equal(events.length, 1);
    assert.match(events[0]?.summary ?? "", /12 次失败，来自 4 个地址/);
    // The security administrator's console home names the account; an editor's does not.
    const home = await app.inject({ url: "/admin", headers: (await signIn(app, security)).headers });
    assert.match(home.body, /账户锁定提醒/);
    assert.ok(home.body.includes(user.username));
    const editorHome = await app.inject({ url: "/admin", headers: (await signIn(app, user)).headers });
    assert.doesNotMatch(editorHome.body, /账户锁定提醒/);
    clock.advanceMinutes(deps.config.loginLockMinutes + 1);
    assert.equal(
      (await login("198.51.100.30", user.username, TEST_PASSWORD)).statusCode,
      303,
      "lock expires",
    );
  });

  it("one address alone never locks the account, however long it keeps guessing", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    let refusedUnchecked = 0;
    for (let i = 0; i < 40; i++) {
      const r = await attemptLogin(deps, {
        username: user.username,
        password: "wrong-password-1",
        ip: "203.0.113.99",
      });
      if (!r.ok && r.reason === "throttled") {
        refusedUnchecked++;
        advanceSeconds(r.retryAfterSeconds);
      }
    }
    assert.ok(refusedUnchecked > 0, "the address was throttled");
    const row = await db
      .selectFrom("login_failures")
      .selectAll()
      .where("username", "=", user.username)
      .executeTakeFirstOrThrow();
    assert.ok(row.failures >= 12, `counted ${row.failures} failures`);
    assert.equal(row.locked_until, null, "not locked: the failures come from one address");
    const owner = await attemptLogin(deps, {
      username: user.username,
      password: TEST_PASSWORD,
      ip: "198.51.100.40",
    });
    assert.equal(owner.ok, true);
  });

  it("attempts during an account lock do not extend it", async () => {
    const user = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    for (let i = 0; i < 12; i++)
      await attemptLogin(deps, {
        username: user.username,
        password: "wrong-1",
        ip: `192.0.2.${10 + (i % 4)}`,
      });
    clock.advanceMinutes(deps.config.loginLockMinutes - 1);
    const during = await attemptLogin(deps, {
      username: user.username,
      password: TEST_PASSWORD,
      ip: "192.0.2.50",
    });
    assert.equal(during.ok, false);
    clock.advanceMinutes(2);
    const after = await attemptLogin(deps, {
      username: user.username,
      password: TEST_PASSWORD,
      ip: "192.0.2.50",
    });
    assert.equal(after.ok, true);
  });
});
