/**
 * @module Sign-in use cases: password check with lockout after repeated failures, the TOTP second step, rehashing
 * on sign-in, and the audited sign-out.
 */
import { recordAudit } from "../audit/audit.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { isSealed } from "../shared/crypto.ts";
import {
  addLoginFailure,
  clearLoginFailures,
  findLoginFailure,
  findUserByUsername,
  updateUser,
} from "./accounts.repository.ts";
import { isValidUsername, normalizeUsername } from "./accounts.rules.ts";
import type { AccountDeps } from "./accounts.service.ts";
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from "./passwords.ts";
import type { StaffUser } from "./policy.ts";
import { loadStaffUser } from "./session.service.ts";
import { checkTotp, openTotpSecret, sealTotpSecret, totpKey } from "./totp.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Sign-in

export type LoginResult =
  | { ok: true; user: StaffUser }
  | { ok: false; reason: "invalid" }
  /** Password correct; the account has TOTP and no (or an empty) code was given. */
  | { ok: false; reason: "totp_required" };

/**
 * Checks a sign-in. Failures are indistinguishable (unknown user, wrong password, wrong code, disabled, locked);
 * after `loginMaxFailures` failures the username is locked for `loginLockMinutes`, whether or not it exists.
 */
export async function attemptLogin(
  deps: AccountDeps,
  input: { username: string; password: string; totp?: string | undefined; ip?: string | null | undefined },
): Promise<LoginResult> {
  const username = normalizeUsername(input.username).slice(0, 100);
  const now = deps.clock.now();
  /** Records a failed attempt; `count` false while already locked (attempts do not extend the lock). */
  const fail = async (why: string, userId: string | null, count = true): Promise<LoginResult> => {
    const lockUntil = new Date(now.getTime() + deps.config.loginLockMinutes * 60_000);
    await deps.db.transaction().execute(async (trx) => {
      const state = count
        ? await addLoginFailure(trx, username, now, deps.config.loginMaxFailures, lockUntil)
        : { locked_until: null };
      await recordAudit(trx, {
        actorId: userId,
        actorName: username,
        ip: input.ip ?? null,
        action: "auth.login_failed",
        agencyId: null,
        entityType: "staff_user",
        entityId: userId,
        summary: `登录失败（${why}）：${username}${state.locked_until ? `，已锁定至 ${state.locked_until.toISOString()}` : ""}`,
      });
    });
    return { ok: false, reason: "invalid" };
  };

  const failure = await findLoginFailure(deps.db, username);
  if (failure?.locked_until && failure.locked_until.getTime() > now.getTime()) {
    await verifyDummy(input.password);
    return fail("账户锁定中", null, false);
  }
  const row = isValidUsername(username) ? await findUserByUsername(deps.db, username) : undefined;
  if (!row) {
    await verifyDummy(input.password);
    return fail("用户不存在", null);
  }
  if (!(await verifyPassword(row.password_hash, input.password))) return fail("密码错误", row.id);
  if (!row.active) return fail("账户已停用", row.id);
  let totpStep: number | null = null;
  /** A plaintext secret from before encryption at rest, re-stored encrypted on this successful sign-in. */
  let resealedTotp: string | undefined;
  if (row.totp_secret) {
    const code = (input.totp ?? "").replace(/\s+/g, "");
    if (code === "") return { ok: false, reason: "totp_required" };
    const key = totpKey(deps.config);
    let secret: string;
    try {
      secret = openTotpSecret(key, row.id, "totp_secret", row.totp_secret);
    } catch {
      return fail("动态验证码密钥无法解密（加密密钥缺失或不符）", row.id);
    }
    totpStep = await checkTotp(secret, code, now, row.totp_last_step);
    if (totpStep === null) return fail("动态验证码错误", row.id);
    if (key && !isSealed(row.totp_secret)) resealedTotp = sealTotpSecret(key, row.id, "totp_secret", secret);
  }
  await deps.db.transaction().execute(async (trx) => {
    await clearLoginFailures(trx, username);
    await updateUser(trx, row.id, {
      last_login_at: now,
      ...(totpStep !== null ? { totp_last_step: totpStep } : {}),
      ...(resealedTotp !== undefined ? { totp_secret: resealedTotp } : {}),
      ...(needsRehash(row.password_hash) ? { password_hash: await hashPassword(input.password) } : {}),
    });
    await recordAudit(trx, {
      actorId: row.id,
      actorName: row.display_name,
      ip: input.ip ?? null,
      action: "auth.login",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: `登录：${row.username}`,
    });
  });
  return { ok: true, user: await loadStaffUser(deps.db, row) };
}

export async function recordLogout(db: DbOrTx, user: StaffUser, ip: string | null, everywhere: boolean) {
  await recordAudit(db, {
    actorId: user.id,
    actorName: user.displayName,
    ip,
    action: everywhere ? "auth.logout_all" : "auth.logout",
    agencyId: user.agencyId,
    entityType: "staff_user",
    entityId: user.id,
    summary: everywhere ? "退出所有设备上的登录" : "退出登录",
  });
}
