/**
 * @module SQL for staff accounts, grants, sessions, API tokens, sign-in failures and setup tokens.
 */
import { sql, type Updateable } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { departmentRefs } from "../db/department-refs.ts";
import type {
  ApiTokenRow,
  RoleGrantRow,
  StaffSessionRow,
  StaffUserRow,
  StaffUserTable,
} from "./accounts.table.ts";
import type { Role } from "./policy.ts";

// Users

export async function findUserById(db: DbOrTx, id: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom("staff_users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findUserByUsername(db: DbOrTx, username: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom("staff_users").selectAll().where("username", "=", username).executeTakeFirst();
}

export async function insertUser(
  db: DbOrTx,
  row: {
    username: string;
    displayName: string;
    homeAgencyId: string | null;
    homeRegionId: string | null;
    passwordHash: string;
    mustChangePassword: boolean;
  },
): Promise<StaffUserRow> {
  return db
    .insertInto("staff_users")
    .values({
      username: row.username,
      display_name: row.displayName,
      home_agency_id: row.homeAgencyId,
      home_region_id: row.homeRegionId,
      password_hash: row.passwordHash,
      must_change_password: row.mustChangePassword,
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      last_login_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUser(
  db: DbOrTx,
  id: string,
  patch: Omit<Updateable<StaffUserTable>, "id">,
): Promise<StaffUserRow | undefined> {
  return db
    .updateTable("staff_users")
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export interface UserListFilter {
  agencyIds?: string[] | undefined;
  search?: string | undefined;
}

export async function listUsers(db: DbOrTx, f: UserListFilter = {}): Promise<StaffUserRow[]> {
  let q = db.selectFrom("staff_users").selectAll();
  if (f.agencyIds) {
    const ids = f.agencyIds;
    if (ids.length === 0) return [];
    // Users who belong to the agency or hold a grant in it.
    q = q.where((eb) =>
      eb.or([
        eb("home_agency_id", "in", ids),
        eb("id", "in", eb.selectFrom("role_grants").select("user_id").where("scope_agency_id", "in", ids)),
      ]),
    );
  }
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb("username", "ilike", like), eb("display_name", "ilike", like)]));
  }
  return q.orderBy("username").limit(1000).execute();
}

export async function countUsersWithRoles(db: DbOrTx, roles: Role[]): Promise<number> {
  const row = await db
    .selectFrom("role_grants")
    .innerJoin("staff_users", "staff_users.id", "role_grants.user_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role_grants.role", "in", roles)
    .where("staff_users.active", "=", true)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// Grants

export async function grantsOfUsers(db: DbOrTx, userIds: string[]): Promise<RoleGrantRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom("role_grants")
    .selectAll()
    .where("user_id", "in", userIds)
    .orderBy("created_at")
    .execute();
}

export async function insertGrant(
  db: DbOrTx,
  row: {
    userId: string;
    role: Role;
    agencyId: string | null;
    departmentId: string | null;
    regionId: string | null;
    createdBy: string | null;
  },
): Promise<RoleGrantRow> {
  return db
    .insertInto("role_grants")
    .values({
      user_id: row.userId,
      role: row.role,
      scope_agency_id: row.agencyId,
      department_id: row.departmentId,
      scope_region_id: row.regionId,
      created_by: row.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findGrant(db: DbOrTx, id: string): Promise<RoleGrantRow | undefined> {
  return db.selectFrom("role_grants").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function deleteGrant(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom("role_grants").where("id", "=", id).execute();
}

// Sessions

export async function insertSession(db: DbOrTx, row: StaffSessionRow): Promise<void> {
  await db.insertInto("staff_sessions").values(row).execute();
}

export async function findSession(db: DbOrTx, tokenHash: string): Promise<StaffSessionRow | undefined> {
  return db.selectFrom("staff_sessions").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

export async function touchSession(db: DbOrTx, tokenHash: string, at: Date): Promise<void> {
  await db
    .updateTable("staff_sessions")
    .set({ last_seen_at: at })
    .where("token_hash", "=", tokenHash)
    .execute();
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.deleteFrom("staff_sessions").where("token_hash", "=", tokenHash).execute();
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: string, exceptHash?: string): Promise<number> {
  let q = db.deleteFrom("staff_sessions").where("user_id", "=", userId);
  if (exceptHash) q = q.where("token_hash", "!=", exceptHash);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date, idleBefore: Date): Promise<number> {
  const res = await db
    .deleteFrom("staff_sessions")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<", idleBefore)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

// API tokens

export async function insertApiToken(
  db: DbOrTx,
  row: Omit<ApiTokenRow, "id" | "last_used_at" | "revoked_at">,
): Promise<ApiTokenRow> {
  return db
    .insertInto("api_tokens")
    .values({ ...row, last_used_at: null, revoked_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findApiTokenByHash(db: DbOrTx, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom("api_tokens").selectAll().where("token_hash", "=", hash).executeTakeFirst();
}

export async function listApiTokens(db: DbOrTx, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
}

export async function revokeApiToken(
  db: DbOrTx,
  userId: string,
  id: string,
  at: Date,
): Promise<ApiTokenRow | undefined> {
  return db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** Revokes every live token of a user (password reset, account disabled). Returns the revoked rows. */
export async function revokeApiTokensOfUser(db: DbOrTx, userId: string, at: Date): Promise<ApiTokenRow[]> {
  return db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .returningAll()
    .execute();
}

export async function touchApiToken(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
}

// Sign-in failures

export async function findLoginFailure(db: DbOrTx, username: string) {
  return db.selectFrom("login_failures").selectAll().where("username", "=", username).executeTakeFirst();
}

/**
 * Counts one more failure on the account (from any address); a count idle since before `windowStart`, or whose
 * lock has expired, starts again from 1. Returns the new state.
 */
export async function addAccountFailure(
  db: DbOrTx,
  username: string,
  at: Date,
  windowStart: Date,
): Promise<{ failures: number; locked_until: Date | null }> {
  return db
    .insertInto("login_failures")
    .values({ username, failures: 1, last_failed_at: at, locked_until: null })
    .onConflict((oc) =>
      oc.column("username").doUpdateSet({
        failures: sql`CASE
          WHEN login_failures.locked_until IS NOT NULL AND login_failures.locked_until <= ${at}::timestamptz THEN 1
          WHEN login_failures.last_failed_at < ${windowStart}::timestamptz THEN 1
          ELSE login_failures.failures + 1 END`,
        last_failed_at: at,
        locked_until: sql`CASE WHEN login_failures.locked_until > ${at}::timestamptz
          THEN login_failures.locked_until ELSE NULL END`,
      }),
    )
    .returning(["failures", "locked_until"])
    .executeTakeFirstOrThrow();
}

/** Locks the account until `until` (all addresses). */
export async function lockAccount(db: DbOrTx, username: string, until: Date): Promise<void> {
  await db
    .updateTable("login_failures")
    .set({ locked_until: until })
    .where("username", "=", username)
    .execute();
}

/** Accounts locked now (the security administrator's notice). */
export async function listLockedAccounts(db: DbOrTx, now: Date) {
  return db
    .selectFrom("login_failures")
    .select(["username", "failures", "locked_until"])
    .where("locked_until", ">", now)
    .orderBy("locked_until", "desc")
    .limit(50)
    .execute();
}

export async function findThrottle(db: DbOrTx, username: string, clientIp: string) {
  return db
    .selectFrom("login_throttle")
    .selectAll()
    .where("username", "=", username)
    .where("client_ip", "=", clientIp)
    .executeTakeFirst();
}

/**
 * One more failure for (username, address); `delaySeconds(failures)` gives the block that follows it. A count idle
 * since before `windowStart` starts again from 1.
 */
export async function addThrottleFailure(
  db: DbOrTx,
  username: string,
  clientIp: string,
  at: Date,
  windowStart: Date,
  delaySeconds: (failures: number) => number,
): Promise<{ failures: number; blocked_until: Date | null }> {
  const row = await db
    .insertInto("login_throttle")
    .values({ username, client_ip: clientIp, failures: 1, last_failed_at: at, blocked_until: null })
    .onConflict((oc) =>
      oc.columns(["username", "client_ip"]).doUpdateSet({
        failures: sql`CASE WHEN login_throttle.last_failed_at < ${windowStart}::timestamptz
          THEN 1 ELSE login_throttle.failures + 1 END`,
        last_failed_at: at,
      }),
    )
    .returning(["failures"])
    .executeTakeFirstOrThrow();
  const delay = delaySeconds(row.failures);
  const blockedUntil = delay > 0 ? new Date(at.getTime() + delay * 1000) : null;
  await db
    .updateTable("login_throttle")
    .set({ blocked_until: blockedUntil })
    .where("username", "=", username)
    .where("client_ip", "=", clientIp)
    .execute();
  return { failures: row.failures, blocked_until: blockedUntil };
}

/** Distinct client addresses that failed to sign in as `username` since `since`. */
export async function countFailureAddresses(db: DbOrTx, username: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("login_throttle")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("username", "=", username)
    .where("last_failed_at", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** After a successful sign-in from this address (its throttle), or for the whole account (`clientIp` omitted). */
export async function clearThrottle(
  db: DbOrTx,
  username: string,
  clientIp?: string | undefined,
): Promise<void> {
  let q = db.deleteFrom("login_throttle").where("username", "=", username);
  if (clientIp !== undefined) q = q.where("client_ip", "=", clientIp);
  await q.execute();
}

/** Housekeeping: throttle rows idle since before `before`. */
export async function deleteStaleThrottles(db: DbOrTx, before: Date): Promise<void> {
  await db.deleteFrom("login_throttle").where("last_failed_at", "<", before).execute();
}

export async function clearLoginFailures(db: DbOrTx, username: string): Promise<void> {
  await db.deleteFrom("login_failures").where("username", "=", username).execute();
}

// Setup tokens

export async function replaceSetupToken(db: DbOrTx, hash: string, at: Date): Promise<void> {
  await db.deleteFrom("setup_tokens").execute();
  await db.insertInto("setup_tokens").values({ token_hash: hash, created_at: at, used_at: null }).execute();
}

export async function consumeSetupToken(db: DbOrTx, hash: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable("setup_tokens")
    .set({ used_at: at })
    .where("token_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function findSetupToken(db: DbOrTx, hash: string) {
  return db
    .selectFrom("setup_tokens")
    .selectAll()
    .where("token_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
}

/** Of the given departments, those a role grant is limited to (deps.departmentUses). */
export const departmentsWithGrants = departmentRefs("role_grants", "scope_agency_id");
