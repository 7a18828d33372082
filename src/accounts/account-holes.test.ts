/**
 * Issue #13 account holes: API tokens die with a password reset or a disabled account, the account's manager lists
 * and revokes its tokens, tokens respect "must change password", and 三员分立 keeps one platform administrator from
 * resetting another's password or TOTP from the console (only the operator's command line may).
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { resetPasswordByUsername } from "./accounts.service.ts";
import { createToken } from "./api-token.service.ts";
import { staffActor } from "./policy.ts";

describe("account holes (issue #13)", async () => {
  const { app, db, deps } = await createTestApp();
  const agency = await createAgency(db);
  const security = await createUser(db, { roles: ["security_admin"] });

  async function tokenOf(user: Awaited<ReturnType<typeof createUser>>, name = "集成") {
    const { token, info } = await createToken(deps, staffActor(user), {
      name,
      scopes: ["console.use", "record.read"],
    });
    return {
      token,
      info,
      me: () => app.inject({ url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } }),
    };
  }

  it("revokes the user's API tokens on an administrator's password reset", async () => {
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const t = await tokenOf(editor);
    assert.equal((await t.me()).statusCode, 200);
    const s = await signIn(app, security);
    const res = await app.inject({
      method: "POST",
      url: `/admin/users/${editor.id}/reset-password`,
      headers: s.headers,
    });
    assert.equal(res.statusCode, 200);
    const after = await t.me();
    assert.equal(after.statusCode, 401, "the token no longer works after the reset");
    const audit = await listAuditEvents(db, { entityId: editor.id, action: "user.reset_password" });
    assert.match(audit[0]?.summary ?? "", /撤销 API 令牌 1 个/);
  });

  it("revokes the user's API tokens when the account is disabled (and they stay revoked after enabling)", async () => {
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const t = await tokenOf(editor);
    const s = await signIn(app, security);
    assert.equal(
      (await app.inject({ method: "POST", url: `/admin/users/${editor.id}/disable`, headers: s.headers }))
        .statusCode,
      303,
    );
    assert.equal(
      (await app.inject({ method: "POST", url: `/admin/users/${editor.id}/enable`, headers: s.headers }))
        .statusCode,
      303,
    );
    assert.equal((await t.me()).statusCode, 401);
    const row = await db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", t.info.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.revoked_at, "revoked, not merely suspended");
  });

  it("the command-line reset revokes tokens too", async () => {
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const t = await tokenOf(editor);
    await resetPasswordByUsername(deps, editor.username, undefined);
    assert.equal((await t.me()).statusCode, 401);
  });

  it("lets the security administrator list and revoke another user's tokens (audited)", async () => {
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const keep = await tokenOf(editor, "保留的令牌");
    const drop = await tokenOf(editor, "可疑的令牌");
    const s = await signIn(app, security);
    const page = await app.inject({ url: `/admin/users/${editor.id}`, headers: s.headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /保留的令牌/);
    assert.match(page.body, /可疑的令牌/);
    assert.ok(page.body.includes(`/admin/users/${editor.id}/tokens/${drop.info.id}/revoke`));
    const res = await app.inject({
      method: "POST",
      url: `/admin/users/${editor.id}/tokens/${drop.info.id}/revoke`,
      headers: s.headers,
    });
    assert.equal(res.statusCode, 303);
    assert.equal((await drop.me()).statusCode, 401);
    assert.equal((await keep.me()).statusCode, 200, "only the chosen token is revoked");
    const audit = await listAuditEvents(db, { entityId: drop.info.id, action: "token.revoke" });
    assert.equal(audit[0]?.actorId, security.id);
    assert.match(audit[0]?.summary ?? "", new RegExp(`撤销 ${editor.username} 的 API 令牌：可疑的令牌`));
    // A token id of another user under this user's URL is not found.
    const other = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const foreign = await tokenOf(other);
    const cross = await app.inject({
      method: "POST",
      url: `/admin/users/${editor.id}/tokens/${foreign.info.id}/revoke`,
      headers: s.headers,
    });
    assert.equal(cross.statusCode, 404);
    assert.equal((await foreign.me()).statusCode, 200);
  });

  it("refuses API tokens while the account must change its password, with a specific code", async () => {
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const t = await tokenOf(editor);
    await db
      .updateTable("staff_users")
      .set({ must_change_password: true })
      .where("id", "=", editor.id)
      .execute();
    const res = await t.me();
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "token_password_change_required");
    await db
      .updateTable("staff_users")
      .set({ must_change_password: false })
      .where("id", "=", editor.id)
      .execute();
    assert.equal((await t.me()).statusCode, 200);
  });

  it("三员分立: the security administrator cannot reset a platform administrator's password or TOTP", async () => {
    const auditAdmin = await createUser(db, { roles: ["audit_admin"] });
    const systemAdmin = await createUser(db, { roles: ["platform_admin"] });
    await db
      .updateTable("staff_users")
      .set({ totp_secret: "JBSWY3DPEHPK3PXP" })
      .where("id", "=", auditAdmin.id)
      .execute();
    const s = await signIn(app, security);
    for (const target of [auditAdmin, systemAdmin]) {
      const before = await db
        .selectFrom("staff_users")
        .select("password_hash")
        .where("id", "=", target.id)
        .executeTakeFirstOrThrow();
      const res = await app.inject({
        method: "POST",
        url: `/admin/users/${target.id}/reset-password`,
        headers: s.headers,
      });
      assert.equal(res.statusCode, 403, target.username);
      assert.match(res.body, /三员分立/);
      const after = await db
        .selectFrom("staff_users")
        .select("password_hash")
        .where("id", "=", target.id)
        .executeTakeFirstOrThrow();
      assert.equal(after.password_hash, before.password_hash, "password unchanged");
    }
    const totp = await app.inject({
      method: "POST",
      url: `/admin/users/${auditAdmin.id}/reset-totp`,
      headers: s.headers,
    });
    assert.equal(totp.statusCode, 403);
    const row = await db
      .selectFrom("staff_users")
      .select("totp_secret")
      .where("id", "=", auditAdmin.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.totp_secret, "TOTP kept");
    // The page says how it is done instead of offering the button.
    const page = await app.inject({ url: `/admin/users/${auditAdmin.id}`, headers: s.headers });
    assert.doesNotMatch(page.body, /reset-password"/);
    assert.match(page.body, /gongkai user reset-password --username/);
    // Another security administrator cannot either.
    const otherSecurity = await createUser(db, { roles: ["security_admin"] });
    const peer = await app.inject({
      method: "POST",
      url: `/admin/users/${otherSecurity.id}/reset-password`,
      headers: s.headers,
    });
    assert.equal(peer.statusCode, 403);
    // The operator on the server can (audited as the command line), and may clear the TOTP.
    const { oneTimePassword } = await resetPasswordByUsername(deps, auditAdmin.username, undefined, {
      clearTotp: true,
    });
    assert.ok(oneTimePassword);
    const cleared = await db
      .selectFrom("staff_users")
      .select("totp_secret")
      .where("id", "=", auditAdmin.id)
      .executeTakeFirstOrThrow();
    assert.equal(cleared.totp_secret, null);
    const audit = await listAuditEvents(db, { entityId: auditAdmin.id, action: "user.reset_password" });
    assert.equal(audit[0]?.actorId, null);
    assert.match(audit[0]?.summary ?? "", /命令行重置密码/);
    // Agency accounts are still reset from the console.
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const ok = await app.inject({
      method: "POST",
      url: `/admin/users/${editor.id}/reset-password`,
      headers: s.headers,
    });
    assert.equal(ok.statusCode, 200);
  });
});
