/**
 * @module Use cases for staff accounts: sign-in (lockout, TOTP), the first-run set-up, creating users, granting and
 * revoking roles, disabling, password change/reset, TOTP enrolment, API tokens. Every change writes an audit event
 * in the same transaction.
 */
import { generateSecret, generateURI, verify as verifyTotp } from "otplib";
import { regionTree } from "../agencies/agency.service.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { Config } from "../config.ts";
import type { Db, DbOrTx } from "../db/database.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import type { Clock } from "../shared/clock.ts";
import { deriveSubKey, isSealed, openString, parseKey32, sealString } from "../shared/crypto.ts";
import {
  addLoginFailure,
  clearLoginFailures,
  consumeSetupToken,
  countUsersWithRoles,
  deleteGrant,
  findGrant,
  findLoginFailure,
  findSetupToken,
  findUserById,
  findUserByUsername,
  grantsOfUsers,
  insertApiToken,
  insertGrant,
  insertUser,
  listActiveDepartments,
  listApiTokens,
  listUsers,
  replaceSetupToken,
  revokeApiToken,
  updateUser,
} from "./accounts.repository.ts";
import {
  canGrant,
  grantShapeProblem,
  isValidUsername,
  normalizeUsername,
  PLATFORM_ROLES,
  passwordProblem,
  separationProblem,
} from "./accounts.rules.ts";
import type { ApiTokenRow, RoleGrantRow, StaffUserRow } from "./accounts.table.ts";
import {
  generateOneTimePassword,
  hashPassword,
  needsRehash,
  verifyDummy,
  verifyPassword,
} from "./passwords.ts";
import {
  type Action,
  ROLES,
  ACTIONS as ROLES_BY_ACTION,
  type Role,
  type RoleGrant,
  type StaffUser,
} from "./policy.ts";
import {
  API_TOKEN_PREFIX,
  endAllSessions,
  hashToken,
  isAction,
  loadStaffUser,
  newToken,
} from "./session.service.ts";

export interface AccountDeps {
  db: Db;
  clock: Clock;
  config: Pick<
    Config,
    "loginMaxFailures" | "loginLockMinutes" | "sessionIdleMinutes" | "cookieSecure" | "encryptionKey"
  >;
}

/** Who performs a change (null actor = the operator on the command line / the system). */
export interface Actor {
  user: StaffUser | null;
  ip?: string | null | undefined;
}

function actorFields(actor: Actor) {
  return {
    actorId: actor.user?.id ?? null,
    actorName: actor.user ? actor.user.displayName : "系统（命令行）",
    ip: actor.ip ?? null,
  };
}

export interface Account {
  id: string;
  username: string;
  displayName: string;
  homeAgencyId: string | null;
  homeRegionId: string | null;
  active: boolean;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  grants: (RoleGrant & { id: string })[];
}

function toAccount(row: StaffUserRow, grants: RoleGrantRow[]): Account {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    homeAgencyId: row.home_agency_id,
    homeRegionId: row.home_region_id,
    active: row.active,
    mustChangePassword: row.must_change_password,
    totpEnabled: row.totp_secret !== null,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    grants: grants
      .filter((g) => g.user_id === row.id)
      .map((g) => ({
        id: g.id,
        role: g.role,
        agencyId: g.scope_agency_id,
        departmentId: g.department_id,
        regionId: g.scope_region_id,
      })),
  };
}

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

/** Returns the accepted time step, or null. A code is accepted once (replay protection). */
async function checkTotp(
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

// ---------------------------------------------------------------------------------------------------------------
// First-run set-up (no fixed default password: a one-time token printed at start while no administrator exists)

/** True while no active account holds a platform role (系统管理员/安全管理员/审计管理员). */
export async function setupNeeded(db: DbOrTx): Promise<boolean> {
  return (await countUsersWithRoles(db, [...PLATFORM_ROLES])) === 0;
}

/** Creates a fresh one-time set-up token when set-up is needed (replacing older ones); returns it or undefined. */
export async function ensureSetupToken(deps: Pick<AccountDeps, "db" | "clock">): Promise<string | undefined> {
  if (!(await setupNeeded(deps.db))) return undefined;
  const token = newToken();
  await replaceSetupToken(deps.db, hashToken(token), deps.clock.now());
  return token;
}

export async function isSetupTokenValid(db: DbOrTx, token: string): Promise<boolean> {
  if (!token || token.length > 100) return false;
  return (await setupNeeded(db)) && (await findSetupToken(db, hashToken(token))) !== undefined;
}

export interface NewAdmin {
  username: string;
  displayName: string;
  password: string;
}

/**
 * Creates the three 三员 accounts (系统管理员, 安全管理员, 审计管理员) with the one-time token.
 * @throws AppError setup_unavailable | validation_failed (fields prefixed with the role: `security_admin.password`)
 */
export async function completeSetup(
  deps: Pick<AccountDeps, "db" | "clock">,
  token: string,
  admins: Record<"platform_admin" | "security_admin" | "audit_admin", NewAdmin>,
  ip: string | null,
): Promise<Account[]> {
  const fields: FieldError[] = [];
  const seen = new Set<string>();
  for (const [role, a] of Object.entries(admins)) {
    const username = normalizeUsername(a.username);
    for (const f of accountFieldProblems(username, a.displayName, a.password))
      fields.push({ field: `${role}.${f.field}`, message: f.message });
    if (seen.has(username)) fields.push({ field: `${role}.username`, message: "三个账户的用户名不能相同。" });
    seen.add(username);
  }
  if (fields.length) throw validationError(fields);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await setupNeeded(trx))) throw new AppError("setup_unavailable");
    if (!(await consumeSetupToken(trx, hashToken(token), deps.clock.now())))
      throw new AppError("setup_unavailable");
    const created: Account[] = [];
    for (const role of ["security_admin", "platform_admin", "audit_admin"] as const) {
      const a = admins[role];
      const row = await insertUser(trx, {
        username: normalizeUsername(a.username),
        displayName: a.displayName.trim(),
        homeAgencyId: null,
        homeRegionId: null,
        passwordHash: await hashPassword(a.password),
        mustChangePassword: false,
      });
      const grant = await insertGrant(trx, {
        userId: row.id,
        role,
        agencyId: null,
        departmentId: null,
        regionId: null,
        createdBy: null,
      });
      await recordAudit(trx, {
        actorId: null,
        actorName: "首次初始化",
        ip,
        action: "user.create",
        agencyId: null,
        entityType: "staff_user",
        entityId: row.id,
        summary: `初始化创建${ROLES[role]}账户：${row.username}`,
        after: { username: row.username, displayName: row.display_name, roles: [role] },
      });
      created.push(toAccount(row, [grant]));
    }
    return created;
  });
}

function accountFieldProblems(
  username: string,
  displayName: string,
  password: string | undefined,
): FieldError[] {
  const fields: FieldError[] = [];
  if (!isValidUsername(username))
    fields.push({ field: "username", message: "用户名为 3–40 位小写字母、数字或 . _ -，以字母或数字开头。" });
  const name = displayName.trim();
  if (name.length < 1 || name.length > 50)
    fields.push({ field: "displayName", message: "请填写姓名（不超过50字）。" });
  if (password !== undefined) {
    const p = passwordProblem(password, username);
    if (p) fields.push({ field: "password", message: p });
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------------------------
// Users and roles

export async function getAccount(db: DbOrTx, id: string): Promise<Account | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await findUserById(db, id);
  if (!row) return undefined;
  return toAccount(row, await grantsOfUsers(db, [row.id]));
}

export async function listAccounts(
  db: DbOrTx,
  filter: { agencyIds?: string[] | undefined; search?: string | undefined },
): Promise<Account[]> {
  const rows = await listUsers(db, filter);
  const grants = await grantsOfUsers(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toAccount(r, grants));
}

export interface NewUserInput {
  username: string;
  displayName: string;
  homeAgencyId: string | null;
  homeRegionId?: string | null;
  /** Omit to generate a one-time password (returned once; the user must change it at first sign-in). */
  password?: string | undefined;
  grants: RoleGrant[];
}

/**
 * Creates an account with its roles. A null actor is the operator on the command line (trusted).
 * @throws AppError validation_failed | duplicate_username | role_separation_violation | forbidden
 */
export async function createAccount(
  db: Db,
  actor: Actor,
  input: NewUserInput,
): Promise<{ account: Account; oneTimePassword?: string | undefined }> {
  const username = normalizeUsername(input.username);
  const fields = accountFieldProblems(username, input.displayName, input.password);
  input.grants.forEach((g, i) => {
    const p = grantShapeProblem(g);
    if (p) fields.push({ field: `grants.${i}`, message: p });
  });
  if (fields.length) throw validationError(fields);
  const sep = separationProblem(input.grants.map((g) => g.role));
  if (sep) throw new AppError("role_separation_violation", sep);
  if (actor.user)
    for (const g of input.grants) if (!canGrant(actor.user, g, null)) throw new AppError("forbidden");
  const oneTime = input.password === undefined ? generateOneTimePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (oneTime as string));
  return db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, username)) throw new AppError("duplicate_username");
    const row = await insertUser(trx, {
      username,
      displayName: input.displayName.trim(),
      homeAgencyId: input.homeAgencyId,
      homeRegionId: input.homeRegionId ?? null,
      passwordHash,
      mustChangePassword: oneTime !== undefined,
    });
    const grants: RoleGrantRow[] = [];
    for (const g of dedupeGrants(input.grants))
      grants.push(
        await insertGrant(trx, {
          userId: row.id,
          role: g.role,
          agencyId: g.agencyId,
          departmentId: g.departmentId,
          regionId: g.regionId,
          createdBy: actor.user?.id ?? null,
        }),
      );
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "user.create",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: `创建账户：${row.username}（${row.display_name}）`,
      after: {
        username: row.username,
        displayName: row.display_name,
        homeAgencyId: row.home_agency_id,
        grants: grants.map(grantSummary),
      },
    });
    return { account: toAccount(row, grants), oneTimePassword: oneTime };
  });
}

function dedupeGrants(grants: RoleGrant[]): RoleGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const key = `${g.role}|${g.agencyId}|${g.departmentId}|${g.regionId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function grantSummary(g: {
  role: Role;
  scope_agency_id?: string | null;
  department_id?: string | null;
  scope_region_id?: string | null;
}) {
  return {
    role: g.role,
    agencyId: g.scope_agency_id ?? null,
    departmentId: g.department_id ?? null,
    regionId: g.scope_region_id ?? null,
  };
}

/** @throws AppError user_not_found | forbidden | validation_failed | role_separation_violation */
export async function addGrant(
  db: Db,
  actor: Actor & { user: StaffUser },
  userId: string,
  grant: RoleGrant,
): Promise<void> {
  const shape = grantShapeProblem(grant);
  if (shape) throw validationError([{ field: "role", message: shape }]);
  if (!canGrant(actor.user, grant, userId)) throw new AppError("forbidden");
  await db.transaction().execute(async (trx) => {
    const row = await findUserById(trx, userId);
    if (!row) throw new AppError("user_not_found");
    const existing = await grantsOfUsers(trx, [userId]);
    const sep = separationProblem([...existing.map((g) => g.role), grant.role]);
    if (sep) throw new AppError("role_separation_violation", sep);
    const dup = existing.some(
      (g) =>
        g.role === grant.role &&
        g.scope_agency_id === grant.agencyId &&
        g.department_id === grant.departmentId &&
        g.scope_region_id === grant.regionId,
    );
    if (dup) return;
    const inserted = await insertGrant(trx, {
      userId,
      role: grant.role,
      agencyId: grant.agencyId,
      departmentId: grant.departmentId,
      regionId: grant.regionId,
      createdBy: actor.user.id,
    });
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "user.grant_role",
      agencyId: grant.agencyId ?? row.home_agency_id,
      entityType: "staff_user",
      entityId: userId,
      summary: `授予 ${row.username} 角色：${ROLES[grant.role]}`,
      after: grantSummary(inserted),
    });
  });
}

/** @throws AppError user_not_found | forbidden */
export async function removeGrant(
  db: Db,
  actor: Actor & { user: StaffUser },
  userId: string,
  grantId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const grant = /^[0-9a-f-]{36}$/i.test(grantId) ? await findGrant(trx, grantId) : undefined;
    if (!grant || grant.user_id !== userId) throw new AppError("not_found");
    const asGrant: RoleGrant = {
      role: grant.role,
      agencyId: grant.scope_agency_id,
      departmentId: grant.department_id,
      regionId: grant.scope_region_id,
    };
    if (!canGrant(actor.user, asGrant, userId)) throw new AppError("forbidden");
    const row = await findUserById(trx, userId);
    await deleteGrant(trx, grantId);
    await endAllSessions(trx, userId);
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "user.revoke_role",
      agencyId: grant.scope_agency_id ?? row?.home_agency_id ?? null,
      entityType: "staff_user",
      entityId: userId,
      summary: `撤销 ${row?.username ?? userId} 的角色：${ROLES[grant.role]}`,
      before: grantSummary(grant),
    });
  });
}

/** Disables (signing the user out everywhere) or re-enables an account. */
export async function setAccountActive(db: Db, actor: Actor, userId: string, active: boolean): Promise<void> {
  if (actor.user?.id === userId) throw new AppError("forbidden", "不能停用或启用自己的账户。");
  await db.transaction().execute(async (trx) => {
    const row = await findUserById(trx, userId);
    if (!row) throw new AppError("user_not_found");
    if (row.active === active) return;
    await updateUser(trx, userId, { active });
    if (!active) await endAllSessions(trx, userId);
    await recordAudit(trx, {
      ...actorFields(actor),
      action: active ? "user.enable" : "user.disable",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: userId,
      summary: `${active ? "启用" : "停用"}账户：${row.username}`,
      before: { active: row.active },
      after: { active },
    });
  });
}

/** Administrator reset: a new one-time password (shown once), all sessions ended, TOTP kept. */
export async function resetPassword(db: Db, actor: Actor, userId: string): Promise<string> {
  if (actor.user?.id === userId) throw new AppError("forbidden", "请在“我的账户”中修改自己的密码。");
  const oneTime = generateOneTimePassword();
  const hash = await hashPassword(oneTime);
  await db.transaction().execute(async (trx) => {
    const row = await findUserById(trx, userId);
    if (!row) throw new AppError("user_not_found");
    await updateUser(trx, userId, {
      password_hash: hash,
      must_change_password: true,
      password_changed_at: new Date(),
    });
    await endAllSessions(trx, userId);
    await clearLoginFailures(trx, row.username);
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "user.reset_password",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: userId,
      summary: `重置密码：${row.username}`,
    });
  });
  return oneTime;
}

/**
 * The user changes their own password: the current password is required; other sessions are ended.
 * @throws AppError validation_failed (fields currentPassword / newPassword)
 */
export async function changeOwnPassword(
  db: Db,
  actor: Actor & { user: StaffUser },
  input: { currentPassword: string; newPassword: string; keepSessionHash?: string | undefined },
): Promise<void> {
  const row = await findUserById(db, actor.user.id);
  if (!row) throw new AppError("user_not_found");
  if (!(await verifyPassword(row.password_hash, input.currentPassword)))
    throw validationError([{ field: "currentPassword", message: "当前密码不正确。" }]);
  const problem = passwordProblem(input.newPassword, row.username);
  if (problem) throw validationError([{ field: "newPassword", message: problem }]);
  if (input.newPassword === input.currentPassword)
    throw validationError([{ field: "newPassword", message: "新密码不能与当前密码相同。" }]);
  const hash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, {
      password_hash: hash,
      must_change_password: false,
      password_changed_at: new Date(),
    });
    await endAllSessions(trx, row.id, input.keepSessionHash);
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "user.change_password",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: "修改本人密码",
    });
  });
}

/** Operator reset from the command line (`gongkai user reset-password`): new password or a one-time one. */
export async function resetPasswordByUsername(
  db: Db,
  username: string,
  password: string | undefined,
): Promise<{ oneTimePassword?: string | undefined }> {
  const row = await findUserByUsername(db, normalizeUsername(username));
  if (!row) throw new AppError("user_not_found");
  if (password !== undefined) {
    const p = passwordProblem(password, row.username);
    if (p) throw validationError([{ field: "password", message: p }]);
  }
  const oneTime = password === undefined ? generateOneTimePassword() : undefined;
  const hash = await hashPassword(password ?? (oneTime as string));
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, {
      password_hash: hash,
      must_change_password: oneTime !== undefined,
      password_changed_at: new Date(),
    });
    await endAllSessions(trx, row.id);
    await clearLoginFailures(trx, row.username);
    await recordAudit(trx, {
      ...actorFields({ user: null }),
      action: "user.reset_password",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: `命令行重置密码：${row.username}`,
    });
  });
  return { oneTimePassword: oneTime };
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

function sealTotpSecret(key: Buffer | undefined, userId: string, column: TotpColumn, secret: string): string {
  return key ? sealString(key, secret, `${column}:${userId}`) : secret;
}

/** @throws Error when the secret is encrypted and the key is missing or wrong, or the value was altered. */
function openTotpSecret(key: Buffer | undefined, userId: string, column: TotpColumn, stored: string): string {
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
  deps: Pick<AccountDeps, "db" | "clock"> & { config: Pick<Config, "encryptionKey"> },
  actor: Actor & { user: StaffUser },
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
    await recordAudit(trx, {
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
  db: Db,
  actor: Actor,
  userId: string,
  currentPassword?: string | undefined,
): Promise<void> {
  const row = await findUserById(db, userId);
  if (!row) throw new AppError("user_not_found");
  if (actor.user?.id === userId) {
    if (currentPassword === undefined || !(await verifyPassword(row.password_hash, currentPassword)))
      throw validationError([{ field: "currentPassword", message: "当前密码不正确。" }]);
  }
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, { totp_secret: null, totp_pending_secret: null, totp_last_step: null });
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "user.totp_disable",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: `关闭动态验证码：${row.username}`,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// API tokens

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

function toTokenInfo(r: ApiTokenRow): ApiTokenInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export async function listTokens(db: DbOrTx, userId: string): Promise<ApiTokenInfo[]> {
  return (await listApiTokens(db, userId)).map(toTokenInfo);
}

/**
 * Creates a token for the user's own integrations. Scopes must be actions the user may perform; the token is
 * shown once. @throws AppError validation_failed
 */
export async function createToken(
  deps: Pick<AccountDeps, "db" | "clock">,
  actor: Actor & { user: StaffUser },
  input: { name: string; scopes: string[]; expiresInDays?: number | undefined },
): Promise<{ token: string; info: ApiTokenInfo }> {
  const fields: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 60)
    fields.push({ field: "name", message: "请填写令牌名称（不超过60字）。" });
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) fields.push({ field: "scopes", message: "请至少选择一项权限。" });
  const mine = new Set(grantableScopes(actor.user));
  for (const s of scopes)
    if (!isAction(s) || !mine.has(s)) fields.push({ field: "scopes", message: `无效的权限范围：${s}` });
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 366))
    fields.push({ field: "expiresInDays", message: "有效期为 1–366 天。" });
  if (fields.length) throw validationError(fields);
  const token = newToken(API_TOKEN_PREFIX);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertApiToken(trx, {
      user_id: actor.user.id,
      name,
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      token_hash: hashToken(token),
      scopes,
      created_at: now,
      expires_at: days ? new Date(now.getTime() + days * 86_400_000) : null,
    });
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "token.create",
      agencyId: actor.user.agencyId,
      entityType: "api_token",
      entityId: row.id,
      summary: `创建 API 令牌：${name}`,
      after: { name, scopes, expiresAt: row.expires_at },
    });
    return { token, info: toTokenInfo(row) };
  });
}

/** Actions the user could put in a token's scopes (the ones they may perform somewhere). */
export function grantableScopes(user: StaffUser): Action[] {
  const roles = new Set(user.grants.map((g) => g.role));
  return (Object.keys(ROLES_BY_ACTION) as Action[]).filter((a) =>
    (ROLES_BY_ACTION[a] as readonly Role[]).some((r) => roles.has(r)),
  );
}

export async function revokeToken(
  deps: Pick<AccountDeps, "db" | "clock">,
  actor: Actor & { user: StaffUser },
  tokenId: string,
): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(tokenId)) throw new AppError("not_found");
  await deps.db.transaction().execute(async (trx) => {
    const row = await revokeApiToken(trx, actor.user.id, tokenId, deps.clock.now());
    if (!row) throw new AppError("not_found");
    await recordAudit(trx, {
      ...actorFields(actor),
      action: "token.revoke",
      agencyId: actor.user.agencyId,
      entityType: "api_token",
      entityId: row.id,
      summary: `撤销 API 令牌：${row.name}`,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Directory for the pickers (agencies, regions, departments)

export interface AccountDirectory {
  agencies: { id: string; name: string; slug: string }[];
  regions: { id: string; name: string }[];
  departments: { id: string; agencyId: string; name: string }[];
}

export async function loadDirectory(db: DbOrTx): Promise<AccountDirectory> {
  const tree = await regionTree(db);
  const agencies: AccountDirectory["agencies"] = [];
  const regions: AccountDirectory["regions"] = [];
  const walk = (nodes: typeof tree, prefix: string) => {
    for (const n of nodes) {
      const name = prefix ? `${prefix} / ${n.name}` : n.name;
      regions.push({ id: n.id, name });
      for (const a of n.agencies) agencies.push({ id: a.id, name: a.name, slug: a.slug });
      walk(n.children, name);
    }
  };
  walk(tree, "");
  const departments = (await listActiveDepartments(db)).map((d) => ({
    id: d.id,
    agencyId: d.agency_id,
    name: d.name,
  }));
  return { agencies, regions, departments };
}
