/**
 * @module First-run set-up: while no administrator exists a one-time set-up token (printed at start) lets the
 * operator create the platform administrators. No fixed default password.
 */
import type { DbOrTx } from "../db/database.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import {
  consumeSetupToken,
  countUsersWithRoles,
  findSetupToken,
  insertGrant,
  insertUser,
  replaceSetupToken,
} from "./accounts.repository.ts";
import { normalizeUsername, PLATFORM_ROLES } from "./accounts.rules.ts";
import { type Account, type AccountDeps, accountFieldProblems, toAccount } from "./accounts.service.ts";
import { hashPassword } from "./passwords.ts";
import { ROLES } from "./policy.ts";
import { hashToken, newToken } from "./session.service.ts";

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
  deps: Pick<AccountDeps, "db" | "clock" | "audit">,
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
      await deps.audit.record(trx, {
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
