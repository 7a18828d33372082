/**
 * @module Use cases for staff accounts: the shared account types, creating users, granting and revoking roles (with
 * the separation-of-duties rules), disabling, password change/reset, and the directory for the pickers. Every
 * change writes an audit event in the same transaction. Sign-in is in sign-in.service.ts, the first-run set-up in
 * setup.service.ts, TOTP in totp.service.ts, API tokens in api-token.service.ts.
 */
import { activeDepartments } from "../agencies/agencies.read.ts";
import { regionTree } from "../agencies/agency.service.ts";
import type { AuditWriter } from "../audit/audit.service.ts";
import type { Config } from "../config.ts";
import type { Db, DbOrTx } from "../db/database.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import type { Clock } from "../shared/clock.ts";
import { isUuid } from "../shared/ids.ts";
import {
  clearLoginFailures,
  clearThrottle,
  deleteGrant,
  findGrant,
  findUserById,
  findUserByUsername,
  grantsOfUsers,
  insertGrant,
  insertUser,
  listUsers,
  revokeApiTokensOfUser,
  updateUser,
} from "./accounts.repository.ts";
import {
  canGrant,
  consoleResetAllowed,
  grantShapeProblem,
  isValidUsername,
  normalizeUsername,
  passwordProblem,
  separationProblem,
} from "./accounts.rules.ts";
import type { RoleGrantRow, StaffUserRow } from "./accounts.table.ts";
import { generateOneTimePassword, hashPassword, verifyPassword } from "./passwords.ts";
import {
  type Actor,
  actorFields,
  ROLES,
  type Role,
  type RoleGrant,
  type StaffActor,
  systemActor,
} from "./policy.ts";
import { endAllSessions } from "./session.service.ts";

export interface AccountDeps {
  db: Db;
  clock: Clock;
  /** The audit chain's writer (deps.audit). */
  audit: AuditWriter;
  config: Pick<
    Config,
    | "loginMaxFailures"
    | "loginLockMinutes"
    | "loginAccountLockFailures"
    | "loginAccountLockAddresses"
    | "sessionIdleMinutes"
    | "cookieSecure"
    | "encryptionKey"
  >;
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

export function toAccount(row: StaffUserRow, grants: RoleGrantRow[]): Account {
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

export function accountFieldProblems(
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
  if (!isUuid(id)) return undefined;
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
  deps: Pick<AccountDeps, "db" | "audit">,
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
  return deps.db.transaction().execute(async (trx) => {
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
    await deps.audit.record(trx, {
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
  deps: Pick<AccountDeps, "db" | "audit">,
  actor: StaffActor,
  userId: string,
  grant: RoleGrant,
): Promise<void> {
  const shape = grantShapeProblem(grant);
  if (shape) throw validationError([{ field: "role", message: shape }]);
  if (!canGrant(actor.user, grant, userId)) throw new AppError("forbidden");
  await deps.db.transaction().execute(async (trx) => {
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
    await deps.audit.record(trx, {
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
  deps: Pick<AccountDeps, "db" | "audit">,
  actor: StaffActor,
  userId: string,
  grantId: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const grant = isUuid(grantId) ? await findGrant(trx, grantId) : undefined;
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
    await deps.audit.record(trx, {
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
export async function setAccountActive(
  deps: Pick<AccountDeps, "db" | "audit">,
  actor: Actor,
  userId: string,
  active: boolean,
): Promise<void> {
  if (actor.user?.id === userId) throw new AppError("forbidden", "不能停用或启用自己的账户。");
  await deps.db.transaction().execute(async (trx) => {
    const row = await findUserById(trx, userId);
    if (!row) throw new AppError("user_not_found");
    if (row.active === active) return;
    await updateUser(trx, userId, { active });
    const revoked = active ? [] : await signOutEverywhere(trx, userId, new Date());
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: active ? "user.enable" : "user.disable",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: userId,
      summary: `${active ? "启用" : "停用"}账户：${row.username}${revoked.length ? `（撤销 API 令牌 ${revoked.length} 个）` : ""}`,
      before: { active: row.active },
      after: { active, revokedTokens: revoked },
    });
  });
}

/** Ends every session and revokes every API token of the user; returns the revoked tokens (id, name). */
async function signOutEverywhere(trx: DbOrTx, userId: string, at: Date) {
  await endAllSessions(trx, userId);
  return (await revokeApiTokensOfUser(trx, userId, at)).map((t) => ({ id: t.id, name: t.name }));
}

/**
 * 三员分立: refuses a console reset (password, TOTP) of a platform-role account by another administrator.
 * @throws AppError platform_account_reset_restricted
 */
export async function assertConsoleResetAllowed(db: DbOrTx, actor: Actor, userId: string): Promise<void> {
  if (!actor.user) return; // the operator on the server's command line
  const roles = (await grantsOfUsers(db, [userId])).map((g) => g.role);
  if (!consoleResetAllowed(roles)) throw new AppError("platform_account_reset_restricted");
}

/**
 * Administrator reset: a new one-time password (shown once), all sessions ended and all API tokens revoked, TOTP
 * kept. @throws AppError user_not_found | forbidden | platform_account_reset_restricted
 */
export async function resetPassword(
  deps: Pick<AccountDeps, "db" | "audit">,
  actor: Actor,
  userId: string,
): Promise<string> {
  if (actor.user?.id === userId) throw new AppError("forbidden", "请在“我的账户”中修改自己的密码。");
  await assertConsoleResetAllowed(deps.db, actor, userId);
  const oneTime = generateOneTimePassword();
  const hash = await hashPassword(oneTime);
  await deps.db.transaction().execute(async (trx) => {
    const row = await findUserById(trx, userId);
    if (!row) throw new AppError("user_not_found");
    await updateUser(trx, userId, {
      password_hash: hash,
      must_change_password: true,
      password_changed_at: new Date(),
    });
    const revoked = await signOutEverywhere(trx, userId, new Date());
    await clearLoginFailures(trx, row.username);
    await clearThrottle(trx, row.username);
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: "user.reset_password",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: userId,
      summary: `重置密码：${row.username}${revoked.length ? `（撤销 API 令牌 ${revoked.length} 个）` : ""}`,
      after: { revokedTokens: revoked },
    });
  });
  return oneTime;
}

/**
 * The user changes their own password: the current password is required; other sessions are ended.
 * @throws AppError validation_failed (fields currentPassword / newPassword)
 */
export async function changeOwnPassword(
  deps: Pick<AccountDeps, "db" | "audit">,
  actor: StaffActor,
  input: { currentPassword: string; newPassword: string; keepSessionHash?: string | undefined },
): Promise<void> {
  const row = await findUserById(deps.db, actor.user.id);
  if (!row) throw new AppError("user_not_found");
  if (!(await verifyPassword(row.password_hash, input.currentPassword)))
    throw validationError([{ field: "currentPassword", message: "当前密码不正确。" }]);
  const problem = passwordProblem(input.newPassword, row.username);
  if (problem) throw validationError([{ field: "newPassword", message: problem }]);
  if (input.newPassword === input.currentPassword)
    throw validationError([{ field: "newPassword", message: "新密码不能与当前密码相同。" }]);
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, {
      password_hash: hash,
      must_change_password: false,
      password_changed_at: new Date(),
    });
    await endAllSessions(trx, row.id, input.keepSessionHash);
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: "user.change_password",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: "修改本人密码",
    });
  });
}

/**
 * Operator reset from the command line (`gongkai user reset-password`): new password or a one-time one; sessions
 * ended, API tokens revoked, optionally TOTP cleared. The only way to reset a platform-role account (三员分立).
 */
export async function resetPasswordByUsername(
  deps: Pick<AccountDeps, "db" | "audit">,
  username: string,
  password: string | undefined,
  options: { clearTotp?: boolean | undefined } = {},
): Promise<{ oneTimePassword?: string | undefined }> {
  const row = await findUserByUsername(deps.db, normalizeUsername(username));
  if (!row) throw new AppError("user_not_found");
  if (password !== undefined) {
    const p = passwordProblem(password, row.username);
    if (p) throw validationError([{ field: "password", message: p }]);
  }
  const oneTime = password === undefined ? generateOneTimePassword() : undefined;
  const hash = await hashPassword(password ?? (oneTime as string));
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, row.id, {
      password_hash: hash,
      must_change_password: oneTime !== undefined,
      password_changed_at: new Date(),
      ...(options.clearTotp ? { totp_secret: null, totp_pending_secret: null, totp_last_step: null } : {}),
    });
    const revoked = await signOutEverywhere(trx, row.id, new Date());
    await clearLoginFailures(trx, row.username);
    await clearThrottle(trx, row.username);
    await deps.audit.record(trx, {
      ...actorFields(systemActor("系统（命令行）")),
      action: "user.reset_password",
      agencyId: row.home_agency_id,
      entityType: "staff_user",
      entityId: row.id,
      summary: `命令行重置密码：${row.username}${options.clearTotp ? "（并关闭动态验证码）" : ""}${revoked.length ? `（撤销 API 令牌 ${revoked.length} 个）` : ""}`,
      after: { revokedTokens: revoked, totpCleared: Boolean(options.clearTotp) },
    });
  });
  return { oneTimePassword: oneTime };
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
  const departments = await activeDepartments(db);
  return { agencies, regions, departments };
}
