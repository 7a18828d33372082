/**
 * @module Server-side sessions (PostgreSQL) and API tokens. Cookies and Bearer tokens carry 32 random bytes; the
 * database keeps only their SHA-256, so a database leak yields no usable credential.
 */
import { createHash, randomBytes } from "node:crypto";
import { regionWithDescendants } from "../agencies/agencies.read.ts";
import type { Config } from "../config.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Clock } from "../shared/clock.ts";
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findApiTokenByHash,
  findSession,
  findUserById,
  grantsOfUsers,
  touchApiToken,
  touchSession,
} from "./accounts.repository.ts";
import type { StaffUserRow } from "./accounts.table.ts";
import { ACTIONS, type Action, type StaffUser } from "./policy.ts";

/** Sessions end after this long even when active (re-authentication at least daily). */
export const SESSION_ABSOLUTE_HOURS = 12;
/** last_seen_at is written at most this often (the idle timeout is therefore accurate to a minute). */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionDeps {
  db: DbOrTx;
  clock: Clock;
  config: Pick<Config, "sessionIdleMinutes" | "cookieSecure">;
}

/** `__Host-` prefix when cookies are Secure (no Domain, Path=/, cannot be set by a sibling subdomain). */
export function sessionCookieName(config: Pick<Config, "cookieSecure">): string {
  return config.cookieSecure ? "__Host-gk_session" : "gk_session";
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** The authorization view of an account: grants and the regions its supervisor grants cover. */
export async function loadStaffUser(db: DbOrTx, row: StaffUserRow): Promise<StaffUser> {
  const grants = await grantsOfUsers(db, [row.id]);
  const supervisorRegions = grants
    .filter((g) => g.role === "supervisor" && g.scope_region_id)
    .map((g) => g.scope_region_id as string);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    agencyId: row.home_agency_id,
    homeRegionId: row.home_region_id,
    grants: grants.map((g) => ({
      role: g.role,
      agencyId: g.scope_agency_id,
      departmentId: g.department_id,
      regionId: g.scope_region_id,
    })),
    supervisedRegionIds: await regionWithDescendants(db, supervisorRegions),
    mustChangePassword: row.must_change_password,
  };
}

export interface ResolvedSession {
  user: StaffUser;
  tokenHash: string;
}

/** The signed-in user for a session cookie, or undefined (unknown, idle, expired, or account disabled). */
export async function resolveSession(deps: SessionDeps, token: string): Promise<ResolvedSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const tokenHash = hashToken(token);
  const session = await findSession(deps.db, tokenHash);
  if (!session) return undefined;
  const now = deps.clock.now();
  const idleLimit = session.last_seen_at.getTime() + deps.config.sessionIdleMinutes * 60_000;
  if (session.expires_at.getTime() <= now.getTime() || idleLimit <= now.getTime()) {
    await deleteSession(deps.db, tokenHash);
    return undefined;
  }
  const row = await findUserById(deps.db, session.user_id);
  if (!row?.active) {
    await deleteSession(deps.db, tokenHash);
    return undefined;
  }
  if (now.getTime() - session.last_seen_at.getTime() >= TOUCH_INTERVAL_MS)
    await touchSession(deps.db, tokenHash, now);
  return { user: await loadStaffUser(deps.db, row), tokenHash };
}

/** Starts a session (after sign-in). Any previous session of this browser is ended (rotation). */
export async function startSession(
  deps: SessionDeps,
  userId: string,
  meta: {
    ip?: string | null | undefined;
    userAgent?: string | null | undefined;
    previousToken?: string | undefined;
  },
): Promise<{ token: string; tokenHash: string; expiresAt: Date }> {
  if (meta.previousToken) await deleteSession(deps.db, hashToken(meta.previousToken));
  // Housekeeping: drop sessions that can no longer be used.
  const cutoff = new Date(deps.clock.now().getTime() - deps.config.sessionIdleMinutes * 60_000);
  await deleteExpiredSessions(deps.db, deps.clock.now(), cutoff);
  const token = newToken();
  const tokenHash = hashToken(token);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_HOURS * 3600_000);
  await deps.db
    .insertInto("staff_sessions")
    .values({
      token_hash: tokenHash,
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent ? meta.userAgent.slice(0, 300) : null,
    })
    .execute();
  return { token, tokenHash, expiresAt };
}

export async function endSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await deleteSession(db, tokenHash);
}

/** Signs the user out everywhere (optionally keeping the current session). Returns the number ended. */
export async function endAllSessions(db: DbOrTx, userId: string, exceptTokenHash?: string): Promise<number> {
  return deleteSessionsOfUser(db, userId, exceptTokenHash);
}

export const API_TOKEN_PREFIX = "gkt_";

export function isAction(value: string): value is Action {
  return Object.hasOwn(ACTIONS, value);
}

/**
 * The user behind a Bearer token, limited to the token's scopes; undefined if unknown/revoked/expired/disabled.
 * `mustChangePassword` is kept: the accounts hook refuses such a token (token_password_change_required).
 */
export async function resolveApiToken(
  deps: Pick<SessionDeps, "db" | "clock">,
  token: string,
): Promise<StaffUser | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return undefined;
  const row = await findApiTokenByHash(deps.db, hashToken(token));
  const now = deps.clock.now();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now.getTime()))
    return undefined;
  const userRow = await findUserById(deps.db, row.user_id);
  if (!userRow?.active) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS)
    await touchApiToken(deps.db, row.id, now);
  const user = await loadStaffUser(deps.db, userRow);
  return { ...user, tokenScopes: row.scopes.filter(isAction) };
}
