/**
 * @module Pure rules for staff accounts: usernames, the password policy, the shape of role grants, 三员分立 and who
 * may grant which role.
 */
import type { Role, RoleGrant, StaffUser } from "./policy.ts";

export const PLATFORM_ROLES: readonly Role[] = ["platform_admin", "security_admin", "audit_admin"];
export const AGENCY_ROLES: readonly Role[] = [
  "agency_admin",
  "editor",
  "reviewer",
  "approver",
  "request_handler",
];

export function isPlatformRole(role: Role): boolean {
  return PLATFORM_ROLES.includes(role);
}

/** Lower-case letters, digits, dot, underscore, hyphen; 3–40 characters; starts with a letter or digit. */
export function normalizeUsername(input: string): string {
  return input.trim().toLowerCase();
}
export function isValidUsername(username: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{2,39}$/.test(username);
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_LONG_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Character classes present: lower-case, upper-case, digits, anything else. */
export function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^a-zA-Z0-9]/.test(password)) n++;
  return n;
}

/**
 * Password policy (GB/T 22239-2019 等保2.0 8.1.4.1 身份鉴别: 口令应有复杂度要求): at least 12 characters, or at least
 * 8 characters from three of the four character classes; never the username; at most 128 characters.
 * Returns the problem in Chinese, or undefined when acceptable.
 */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length > PASSWORD_MAX_LENGTH) return `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符。`;
  if (password.length < PASSWORD_MIN_LENGTH)
    return `密码至少 ${PASSWORD_LONG_LENGTH} 个字符，或至少 ${PASSWORD_MIN_LENGTH} 个字符且包含大写字母、小写字母、数字、符号中的三类。`;
  if (password.length < PASSWORD_LONG_LENGTH && characterClasses(password) < 3)
    return `密码至少 ${PASSWORD_LONG_LENGTH} 个字符，或包含大写字母、小写字母、数字、符号中的三类。`;
  if (username && password.trim().toLowerCase() === username.trim().toLowerCase())
    return "密码不能与用户名相同。";
  return undefined;
}

/** The scope a grant must have for its role; returns a problem (Chinese) or undefined. */
export function grantShapeProblem(grant: RoleGrant): string | undefined {
  if (isPlatformRole(grant.role)) {
    if (grant.agencyId || grant.regionId || grant.departmentId) return "平台角色不能限定机关或区域。";
    return undefined;
  }
  if (grant.role === "supervisor") {
    if (!grant.regionId) return "区域监督角色必须指定行政区划。";
    if (grant.agencyId || grant.departmentId) return "区域监督角色不能限定机关。";
    return undefined;
  }
  if (!grant.agencyId) return "机关角色必须指定机关。";
  if (grant.regionId) return "机关角色不能限定区域。";
  if (grant.departmentId && grant.role !== "editor") return "只有股室信息员可以限定股室。";
  return undefined;
}

/**
 * 三员分立 (GB/T 22239-2019 8.1.4.2 访问控制; 三员: 系统管理员、安全管理员、审计管理员): one account holds at most one
 * of the three platform roles, and a platform role is not combined with agency roles.
 */
export function separationProblem(roles: readonly Role[]): string | undefined {
  const platform = new Set(roles.filter(isPlatformRole));
  if (platform.size > 1) return "三员分立：系统管理员、安全管理员、审计管理员不能由同一账户兼任。";
  if (platform.size === 1 && roles.some((r) => !isPlatformRole(r)))
    return "三员分立：平台管理角色不能与机关业务角色兼任。";
  return undefined;
}

/**
 * May `actor` grant (or revoke) `grant` to the account `targetUserId`? Security administrators grant any role;
 * agency administrators grant agency roles within their own agency. Nobody grants roles to themselves.
 */
export function canGrant(actor: StaffUser, grant: RoleGrant, targetUserId: string | null): boolean {
  if (targetUserId !== null && targetUserId === actor.id) return false;
  if (actor.tokenScopes && !actor.tokenScopes.includes("user.manage")) return false;
  if (actor.grants.some((g) => g.role === "security_admin")) return true;
  if (!AGENCY_ROLES.includes(grant.role) || !grant.agencyId) return false;
  return actor.grants.some((g) => g.role === "agency_admin" && g.agencyId === grant.agencyId);
}

/**
 * 三员分立: may this administrator reset the password or TOTP of an account holding `targetRoles` from the console?
 * A platform-role account (系统/安全/审计管理员) is reset only by the operator on the server (`gongkai user
 * reset-password`, audited), so the security administrator can never take over the audit administrator's account.
 * Agency and regional accounts are reset by whoever manages them.
 */
export function consoleResetAllowed(targetRoles: readonly Role[]): boolean {
  return !targetRoles.some(isPlatformRole);
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-in throttling and lockout (issue #13: a lockout nobody can use to deny service)

export interface LockoutPolicy {
  /** Failures from one address on one account before its delays start (LOGIN_MAX_FAILURES). */
  freeFailures: number;
  /** The longest delay for one address, and how long a locked account stays locked (LOGIN_LOCK_MINUTES). */
  lockMinutes: number;
  /** An account is locked only after this many failures within the window … (LOGIN_ACCOUNT_LOCK_FAILURES) */
  accountLockFailures: number;
  /** … coming from at least this many different addresses (LOGIN_ACCOUNT_LOCK_ADDRESSES). */
  accountLockAddresses: number;
}

/** Failure counts idle this long start again. */
export const FAILURE_WINDOW_HOURS = 24;
/** The first delay after the free failures; it doubles with every further failure up to `lockMinutes`. */
export const FIRST_DELAY_SECONDS = 15;

/**
 * The delay (seconds) that follows the `failures`-th failure from one address on one account: none for the first
 * `freeFailures`, then 15 s, 30 s, 60 s … doubling up to `lockMinutes` (等保2.0 8.1.4.1 b: 登录失败处理功能 —
 * limiting attempts without letting a stranger lock the account).
 */
export function throttleDelaySeconds(
  failures: number,
  p: Pick<LockoutPolicy, "freeFailures" | "lockMinutes">,
) {
  if (failures < p.freeFailures) return 0;
  const steps = Math.min(failures - p.freeFailures, 30);
  return Math.min(FIRST_DELAY_SECONDS * 2 ** steps, p.lockMinutes * 60);
}

/** Is the account itself to be locked? Only under many failures from many addresses (a distributed attack). */
export function accountLockDue(
  failures: number,
  addresses: number,
  p: Pick<LockoutPolicy, "accountLockFailures" | "accountLockAddresses">,
): boolean {
  return failures >= p.accountLockFailures && addresses >= p.accountLockAddresses;
}
