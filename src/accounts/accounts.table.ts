import type { ColumnType, Generated, Selectable } from "kysely";
import type { Role } from "./policy.ts";

/**
 * 工作人员账户. A staff account belongs to one agency (`home_agency_id`), a region (supervisors) or the platform
 * (both null). Column names avoid `agency_id`: accounts are platform-level rows, not tenant rows.
 */
export interface StaffUserTable {
  id: Generated<string>;
  /** Lower-case login name. */
  username: string;
  display_name: string;
  home_agency_id: string | null;
  home_region_id: string | null;
  /** argon2id (PHC string). */
  password_hash: string;
  /** Set after an administrator reset: the user must choose a new password at next sign-in. */
  must_change_password: Generated<boolean>;
  /** Base32 TOTP secret once enrolment is confirmed (pending secrets live in `totp_pending_secret`). */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  /** Last accepted TOTP time step (replay protection). */
  totp_last_step: number | null;
  active: Generated<boolean>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  password_changed_at: ColumnType<Date, Date | undefined, Date>;
  last_login_at: Date | null;
  /** Where notifications of new work are e-mailed (set by the person under 通知). */
  email: Generated<string | null>;
  /** The person may turn e-mailed notifications off (they stay in the console). */
  email_notifications: Generated<boolean>;
}

/** A role held in a scope (see RoleGrant in policy.ts). */
export interface RoleGrantTable {
  id: Generated<string>;
  user_id: string;
  role: Role;
  scope_agency_id: string | null;
  department_id: string | null;
  scope_region_id: string | null;
  created_at: ColumnType<Date, never, never>;
  created_by: string | null;
}

/** Server-side session; the cookie holds a random token, the table only its SHA-256. */
export interface StaffSessionTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  /** Absolute expiry (independent of the idle timeout). */
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

/** API token for integrations (Bearer); hashed at rest, scoped, revocable. */
export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  /** First characters of the token, shown in lists to tell tokens apart. */
  prefix: string;
  token_hash: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Sign-in failures per (lower-case) username from every address, whether or not the account exists; the account is
 * locked (`locked_until`) only when they are many and come from many addresses (config.loginAccountLockFailures).
 */
export interface LoginFailureTable {
  username: string;
  failures: number;
  last_failed_at: Date;
  locked_until: Date | null;
}

/** Sign-in failures per (username, client address): growing delays for that address only. */
export interface LoginThrottleTable {
  username: string;
  client_ip: string;
  failures: number;
  last_failed_at: Date;
  /** Attempts from this address for this username are refused until then. */
  blocked_until: Date | null;
}

/** One-time token for creating the first administrator (printed at start while none exists). */
export interface SetupTokenTable {
  token_hash: string;
  created_at: Date;
  used_at: Date | null;
}

export type StaffUserRow = Selectable<StaffUserTable>;
export type RoleGrantRow = Selectable<RoleGrantTable>;
export type StaffSessionRow = Selectable<StaffSessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
