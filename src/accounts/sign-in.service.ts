/**
 * @module Sign-in use cases: password check with lockout after repeated failures, the TOTP second step, rehashing
 * on sign-in, and the audited sign-out.
 */
import type { AuditWriter } from "../audit/audit.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { isSealed } from "../shared/crypto.ts";
import {
  addAccountFailure,
  addThrottleFailure,
  clearLoginFailures,
  clearThrottle,
  countFailureAddresses,
  deleteStaleThrottles,
  findLoginFailure,
  findThrottle,
  findUserByUsername,
  listLockedAccounts,
  lockAccount,
  updateUser,
} from "./accounts.repository.ts";
import {
  accountLockDue,
  FAILURE_WINDOW_HOURS,
  isValidUsername,
  type LockoutPolicy,
  normalizeUsername,
  throttleDelaySeconds,
} from "./accounts.rules.ts";
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
  /** Too many failures from this address for this username: refused without checking, retry after the delay. */
  | { ok: false; reason: "throttled"; retryAfterSeconds: number }
  /** Password correct; the account has TOTP and no (or an empty) code was given. */
  | { ok: false; reason: "totp_required" };

export function lockoutPolicy(config: AccountDeps["config"]): LockoutPolicy {
  return {
    freeFailures: config.loginMaxFailures,
    lockMinutes: config.loginLockMinutes,
    accountLockFailures: config.loginAccountLockFailures,
    accountLockAddresses: config.loginAccountLockAddresses,
  };
}

/**
 * Checks a sign-in. Failures are indistinguishable (unknown user, wrong password, wrong code, disabled, locked).
 * Lockout that nobody can use to deny service (issue #13):
 * - per (username, client address): after `loginMaxFailures` failures that address waits 15 s, 30 s, 60 s …
 *   (doubling, capped at `loginLockMinutes`) before it may try that username again — other addresses are unaffected;
 * - the account itself is locked for `loginLockMinutes` only after `loginAccountLockFailures` failures within 24 h
 *   from at least `loginAccountLockAddresses` addresses (a distributed attack), with an audit entry
 *   (`auth.account_locked`) that the security administrator sees on the console home.
 * Both apply whether or not the account exists.
 */
export async function attemptLogin(
  deps: AccountDeps,
  input: { username: string; password: string; totp?: string | undefined; ip?: string | null | undefined },
): Promise<LoginResult> {
  const username = normalizeUsername(input.username).slice(0, 100);
  const clientIp = input.ip ?? "unknown";
  const now = deps.clock.now();
  const policy = lockoutPolicy(deps.config);
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_HOURS * 3600_000);
  /** Records a failed attempt; `count` false while already locked (attempts do not extend the lock). */
  const fail = async (why: string, userId: string | null, count = true): Promise<LoginResult> => {
    await deps.db.transaction().execute(async (trx) => {
      let note = "";
      if (count) {
        const throttle = await addThrottleFailure(trx, username, clientIp, now, windowStart, (f) =>
          throttleDelaySeconds(f, policy),
        );
        if (throttle.blocked_until) note = `，该地址须等待至 ${throttle.blocked_until.toISOString()}`;
        const state = await addAccountFailure(trx, username, now, windowStart);
        const addresses = await countFailureAddresses(trx, username, windowStart);
        if (!state.locked_until && accountLockDue(state.failures, addresses, policy)) {
          const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
          await lockAccount(trx, username, until);
          await deps.audit.record(trx, {
            actorId: userId,
            actorName: username,
            ip: input.ip ?? null,
            action: "auth.account_locked",
            agencyId: null,
            entityType: "staff_user",
            entityId: userId,
            summary: `账户因分布式登录失败被锁定：${username}（24小时内 ${state.failures} 次失败，来自 ${addresses} 个地址），锁定至 ${until.toISOString()}`,
            after: { failures: state.failures, addresses, lockedUntil: until },
          });
        }
      }
      await deps.audit.record(trx, {
        actorId: userId,
        actorName: username,
        ip: input.ip ?? null,
        action: "auth.login_failed",
        agencyId: null,
        entityType: "staff_user",
        entityId: userId,
        summary: `登录失败（${why}）：${username}${note}`,
      });
    });
    return { ok: false, reason: "invalid" };
  };

  const throttle = await findThrottle(deps.db, username, clientIp);
  if (throttle?.blocked_until && throttle.blocked_until.getTime() > now.getTime())
    return {
      ok: false,
      reason: "throttled",
      retryAfterSeconds: Math.ceil((throttle.blocked_until.getTime() - now.getTime()) / 1000),
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
    await clearThrottle(trx, username, clientIp);
    await deleteStaleThrottles(trx, windowStart);
    await updateUser(trx, row.id, {
      last_login_at: now,
      ...(totpStep !== null ? { totp_last_step: totpStep } : {}),
      ...(resealedTotp !== undefined ? { totp_secret: resealedTotp } : {}),
      ...(needsRehash(row.password_hash) ? { password_hash: await hashPassword(input.password) } : {}),
    });
    await deps.audit.record(trx, {
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

export async function recordLogout(
  db: DbOrTx,
  audit: AuditWriter,
  user: StaffUser,
  ip: string | null,
  everywhere: boolean,
) {
  await audit.record(db, {
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

/** Accounts locked now by a distributed sign-in attack (for the security administrator's console notice). */
export async function lockedAccounts(db: DbOrTx, now: Date) {
  return (await listLockedAccounts(db, now)).map((r) => ({
    username: r.username,
    failures: r.failures,
    lockedUntil: r.locked_until as Date,
  }));
}
