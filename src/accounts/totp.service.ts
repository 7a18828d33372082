/**
 * @module TOTP (动态验证码): code verification with replay protection, secrets sealed at rest under the encryption key,
 * enrolment, confirmation and disabling (audited).
 */
import { generateSecret, generateURI, verify as verifyTotp } from "otplib";
import type { Config } from "../config.ts";
import type { DbOrTx } from "../db/database.ts";
import { AppError, validationError } from "../errors.ts";
import { deriveSubKey, isSealed, openString, parseKey32, sealString } from "../shared/crypto.ts";
import { findUserById, updateUser } from "./accounts.repository.ts";
import { type AccountDeps, assertConsoleResetAllowed } from "./accounts.service.ts";
import { verifyPassword } from "./passwords.ts";
import { type Actor, actorFields, type StaffActor, type StaffUser } from "./policy.ts";

/** Returns the accepted time step, or null. A code is accepted once (replay protection). */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  lastStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verifyTotp({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: 30,
      ...(lastStep !== null ? { afterTimeStep: Number(lastStep) } : {}),
    });
    return result.valid && "timeStep" in result ? Number(result.timeStep) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// TOTP (动态验证码)

export const TOTP_ISSUER = "公开 Gongkai";

/**
 * TOTP secrets at rest: AES-256-GCM under a sub-key of `GONGKAI_ENCRYPTION_KEY` (HKDF label
 * "gongkai/accounts/totp"), bound to the user id and column. Without an encryption key secrets are stored as
 * plaintext base32 (the enrolment page warns). Plaintext secrets from before are still accepted and re-stored
 * encrypted on the next successful sign-in.
 */
type TotpColumn = "totp_secret" | "totp_pending_secret";

export function totpKey(config: Pick<Config, "encryptionKey">): Buffer | undefined {
  const key = parseKey32(config.encryptionKey);
  return key ? deriveSubKey(key, "gongkai/accounts/totp") : undefined;
}

/** Whether TOTP secrets are encrypted at rest with this configuration. */
export function totpEncryptedAtRest(config: Pick<Config, "encryptionKey">): boolean {
  return totpKey(config) !== undefined;
}

export function sealTotpSecret(
  key: Buffer | undefined,
  userId: string,
  column: TotpColumn,
  secret: string,
): string {
  return key ? sealString(key, secret, `${column}:${userId}`) : secret;
}

/** @throws Error when the secret is encrypted and the key is missing or wrong, or the value was altered. */
export function openTotpSecret(
  key: Buffer | undefined,
  userId: string,
  column: TotpColumn,
  stored: string,
): string {
  if (!isSealed(stored)) return stored; // plaintext base32 (no key configured, or stored before encryption)
  if (!key) throw new Error("TOTP secret is encrypted but GONGKAI_ENCRYPTION_KEY is not configured");
  return openString(key, stored, `${column}:${userId}`);
}

type TotpDeps = { db: DbOrTx; config: Pick<Config, "encryptionKey"> };

/** Starts (or restarts) enrolment: a pending secret and its otpauth:// URI. */
export async function beginTotpEnrolment(
  deps: TotpDeps,
  user: StaffUser,
): Promise<{ secret: string; uri: string }> {
  const secret = generateSecret();
  await updateUser(deps.db, user.id, {
    totp_pending_secret: sealTotpSecret(totpKey(deps.config), user.id, "totp_pending_secret", secret),
  });
  return { secret, uri: generateURI({ issuer: TOTP_ISSUER, label: user.username, secret }) };
}

/** The pending secret (undefined when none, or when it cannot be decrypted: the user starts again). */
export async function pendingTotp(
  deps: TotpDeps,
  user: StaffUser,
): Promise<{ secret: string; uri: string } | undefined> {
  const row = await findUserById(deps.db, user.id);
  if (!row?.totp_pending_secret) return undefined;
  let secret: string;
  try {
    secret = openTotpSecret(totpKey(deps.config), user.id, "totp_pending_secret", row.totp_pending_secret);
  } catch {
    return undefined;
  }
  return { secret, uri: generateURI({ issuer: TOTP_ISSUER, label: user.username, secret }) };
}

/** Confirms enrolment with a code from the app. @throws AppError validation_failed (field code) */
export async function confirmTotpEnrolment(
  deps: Pick<AccountDeps, "db" | "clock" | "audit"> & { config: Pick<Config, "encryptionKey"> },
  actor: StaffActor,
  code: string,
): Promise<void> {
  const row = await findUserById(deps.db, actor.user.id);
  const pending = row ? await pendingTotp(deps, actor.user) : undefined;
  if (!row || !pending) throw validationError([{ field: "code", message: "请先生成新的密钥。" }]);
  const step = await checkTotp(pending.secret, code.replace(/\s+/g, ""), deps.clock.now(), null);
  if (step === null)
    throw validationError([{ field: "code", message: "动态验证码不正确，请核对手机时间后重试。" }]);
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, {
      totp_secret: sealTotpSecret(totpKey(deps.config), row.id, "totp_secret", pending.secret),
      totp_pending_secret: null,
      totp_last_step: step,
    });
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: "user.totp_enable",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: "启用动态验证码",
    });
  });
}

/** Turns TOTP off: by the user (current password required) or by an administrator (lost phone). */
export async function disableTotp(
  deps: Pick<AccountDeps, "db" | "audit">,
  actor: Actor,
  userId: string,
  currentPassword?: string | undefined,
): Promise<void> {
  const row = await findUserById(deps.db, userId);
  if (!row) throw new AppError("user_not_found");
  if (actor.user?.id !== userId) await assertConsoleResetAllowed(deps.db, actor, userId);
  if (actor.user?.id === userId) {
    if (currentPassword === undefined || !(await verifyPassword(row.password_hash, currentPassword)))
      throw validationError([{ field: "currentPassword", message: "当前密码不正确。" }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, { totp_secret: null, totp_pending_secret: null, totp_last_step: null });
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: "user.totp_disable",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: `关闭动态验证码：${row.username}`,
    });
  });
}
