import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generate } from "otplib";
import { signIn } from "../../test/auth.ts";
import type { MovableClock } from "../../test/clock.ts";
import { movableClock } from "../../test/clock.ts";
import { createAgency, createUser, TEST_PASSWORD } from "../../test/factories.ts";
import { createTestApp, TEST_ENCRYPTION_KEY } from "../../test/test-app.ts";
import type { Db } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { isSealed } from "../shared/crypto.ts";
import { staffActor } from "./policy.ts";
import { attemptLogin } from "./sign-in.service.ts";
import { beginTotpEnrolment, confirmTotpEnrolment } from "./totp.service.ts";

const SECRET_RE = /密钥：<code>([A-Z2-7]+)<\/code>/;
const WARNING_RE = /动态验证码密钥将以明文保存/;

async function storedSecret(db: Db, userId: string) {
  return db
    .selectFrom("staff_users")
    .select(["totp_secret", "totp_pending_secret"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}

async function codeAt(secret: string, clock: MovableClock) {
  return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
}

/** Enrols through the real pages; returns the base32 secret shown to the user and the account page body. */
async function enrol(
  ctx: { app: Awaited<ReturnType<typeof createTestApp>>["app"] },
  clock: MovableClock,
  user: { id: string },
) {
  const s = await signIn(ctx.app, user);
  await ctx.app.inject({ method: "POST", url: "/admin/account/totp/begin", headers: s.headers });
  const page = await ctx.app.inject({ url: "/admin/account", headers: s.headers });
  const secret = SECRET_RE.exec(page.body)?.[1] as string;
  assert.ok(secret, "the secret is shown to the user");
  const res = await ctx.app.inject({
    method: "POST",
    url: "/admin/account/totp/confirm",
    headers: s.headers,
    payload: { code: await codeAt(secret, clock) },
  });
  assert.equal(res.statusCode, 303);
  return { secret, page: page.body };
}

async function login(deps: Deps, username: string, totp: string) {
  return attemptLogin(deps, { username, password: TEST_PASSWORD, totp });
}

describe("TOTP secrets encrypted at rest (GONGKAI_ENCRYPTION_KEY configured)", async () => {
  const clock = movableClock("2026-03-16T02:00:00Z");
  const ctx = await createTestApp({ clock });
  const agency = await createAgency(ctx.db);

  it("stores pending and confirmed secrets encrypted, bound to the user; sign-in works", async () => {
    const user = await createUser(ctx.db, { roles: ["editor"], agencyId: agency.id });
    const other = await createUser(ctx.db, { roles: ["editor"], agencyId: agency.id });
    await beginTotpEnrolment(ctx.deps, user);
    const pending = (await storedSecret(ctx.db, user.id)).totp_pending_secret as string;
    assert.ok(isSealed(pending), "pending secret encrypted");

    const { secret, page } = await enrol(ctx, clock, user);
    assert.doesNotMatch(page, WARNING_RE);
    const stored = (await storedSecret(ctx.db, user.id)).totp_secret as string;
    assert.ok(isSealed(stored));
    assert.ok(!stored.includes(secret), "no plaintext in the database");

    clock.advanceMinutes(1);
    assert.equal((await login(ctx.deps, user.username, await codeAt(secret, clock))).ok, true);
    // The ciphertext copied onto another account does not decrypt there (bound to the user id).
    await ctx.db.updateTable("staff_users").set({ totp_secret: stored }).where("id", "=", other.id).execute();
    clock.advanceMinutes(1);
    assert.deepEqual(await login(ctx.deps, other.username, await codeAt(secret, clock)), {
      ok: false,
      reason: "invalid",
    });
  });

  it("accepts a legacy plaintext secret and re-stores it encrypted on the next successful sign-in", async () => {
    const user = await createUser(ctx.db, { roles: ["editor"], agencyId: agency.id });
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    await ctx.db.updateTable("staff_users").set({ totp_secret: secret }).where("id", "=", user.id).execute();
    clock.advanceMinutes(1);
    assert.deepEqual(await login(ctx.deps, user.username, "000000"), { ok: false, reason: "invalid" });
    assert.equal((await storedSecret(ctx.db, user.id)).totp_secret, secret, "unchanged after a failure");
    assert.equal((await login(ctx.deps, user.username, await codeAt(secret, clock))).ok, true);
    const stored = (await storedSecret(ctx.db, user.id)).totp_secret as string;
    assert.ok(isSealed(stored), "migrated to ciphertext");
    clock.advanceMinutes(1);
    assert.equal((await login(ctx.deps, user.username, await codeAt(secret, clock))).ok, true, "still works");
  });
});

describe("TOTP without an encryption key", async () => {
  const clock = movableClock("2026-03-16T02:00:00Z");
  const ctx = await createTestApp({ clock, config: { encryptionKey: undefined } });
  const agency = await createAgency(ctx.db);

  it("keeps plaintext storage, warns on the enrolment page, and sign-in works", async () => {
    const user = await createUser(ctx.db, { roles: ["editor"], agencyId: agency.id });
    const { secret, page } = await enrol(ctx, clock, user);
    assert.match(page, WARNING_RE);
    assert.equal((await storedSecret(ctx.db, user.id)).totp_secret, secret);
    clock.advanceMinutes(1);
    assert.equal((await login(ctx.deps, user.username, await codeAt(secret, clock))).ok, true);
  });

  it("refuses sign-in when a secret is encrypted but the key has been removed", async () => {
    const user = await createUser(ctx.db, { roles: ["editor"], agencyId: agency.id });
    // Encrypted while a key was configured; the key has since been removed from the configuration.
    await beginTotpEnrolment({ db: ctx.db, config: { encryptionKey: TEST_ENCRYPTION_KEY } }, user);
    const pending = (await storedSecret(ctx.db, user.id)).totp_pending_secret as string;
    assert.ok(isSealed(pending));
    await assert.rejects(
      confirmTotpEnrolment(ctx.deps, staffActor(user), "123456"),
      (e: Error & { code?: string }) => e.code === "validation_failed",
    );
    await ctx.db.updateTable("staff_users").set({ totp_secret: pending }).where("id", "=", user.id).execute();
    assert.deepEqual(await login(ctx.deps, user.username, "123456"), { ok: false, reason: "invalid" });
  });
});
