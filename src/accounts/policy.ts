/**
 * @module Authorization: the one policy module. `can(user, action, resource)` answers every access question;
 * routes declare their action (`config.policy`) and the guard in src/http/auth-guard.ts enforces it.
 *
 * 三员分立 (等保2.0): the system administrator manages the platform but cannot read the audit log or grant roles
 * to itself; the security administrator manages accounts and roles; the audit administrator only reads audit data.
 */

export const ROLES = {
  platform_admin: "系统管理员",
  security_admin: "安全管理员",
  audit_admin: "审计管理员",
  agency_admin: "本机关政务公开办",
  editor: "股室信息员",
  reviewer: "审核/保密审查",
  approver: "审签",
  request_handler: "依申请公开经办人",
  supervisor: "区域监督（只读）",
} as const;

export type Role = keyof typeof ROLES;

/** A role held in a scope: platform-wide (no agency/region), in one agency (optionally one department), or a region. */
export interface RoleGrant {
  role: Role;
  agencyId: string | null;
  /** Editors may be limited to one department (股室). */
  departmentId: string | null;
  /** Supervisors oversee the agencies of a region (and its sub-regions). */
  regionId: string | null;
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  /** The agency the account belongs to (null for platform and regional accounts). */
  agencyId: string | null;
  grants: RoleGrant[];
  /** Region ids the user's supervisor grants cover, including all sub-regions (resolved at sign-in). */
  supervisedRegionIds: string[];
  /** Authenticated with an API token (scopes limit the actions) rather than a browser session. */
  tokenScopes?: Action[] | undefined;
  /** The account must choose a new password before using the console (after an administrator reset). */
  mustChangePassword?: boolean | undefined;
  /** The region a regional (supervisor) account belongs to, when any. */
  homeRegionId?: string | null | undefined;
}

/**
 * Who performs a change, for every service and the audit trail: a staff user (`user`, with `id` = user.id and
 * `name` = the display name at the time), or no user — the system, an applicant or the operator on the command line
 * (`id` null, `name` saying who). `ip` when the change comes from a request.
 */
export interface Actor {
  user: StaffUser | null;
  id: string | null;
  name: string;
  ip?: string | null | undefined;
}

/** An actor that is a signed-in staff user (session or API token). */
export interface StaffActor extends Actor {
  user: StaffUser;
  id: string;
}

/** The actor of a staff user's request. */
export function staffActor(user: StaffUser, ip?: string | null): StaffActor {
  return { user, id: user.id, name: user.displayName, ip: ip ?? null };
}

/** An actor without a staff user: the system, an applicant, the command-line operator (`name` says who). */
export function systemActor(name: string, ip: string | null = null): Actor {
  return { user: null, id: null, name, ip };
}

/** The actor columns of an audit event. */
export function actorFields(actor: Actor): { actorId: string | null; actorName: string; ip: string | null } {
  return { actorId: actor.id, actorName: actor.name, ip: actor.ip ?? null };
}

/** Every action the system authorizes. Add new actions here with the roles that may perform them. */
export const ACTIONS = {
  // Platform
  "platform.manage": ["platform_admin"],
  "calendar.manage": ["platform_admin"],
  /** Background jobs: the list with last runs and failures (agency administrators see their agency's figures). */
  "jobs.read": ["platform_admin", "agency_admin"],
  "jobs.run": ["platform_admin"],
  "agency.manage": ["platform_admin", "agency_admin"],
  // Accounts (security administrator; agency administrators manage their own agency's staff)
  "user.manage": ["security_admin", "agency_admin"],
  "audit.read": ["audit_admin"],
  // Everyone signed in may use the console and their own account
  "console.use": Object.keys(ROLES) as Role[],
  // Catalog (主动公开事项目录)
  "catalog.read": ["agency_admin", "editor", "reviewer", "approver", "request_handler", "supervisor"],
  "catalog.edit": ["agency_admin"],
  "catalog.publish": ["approver"],
  // Records (政府信息)
  "record.read": ["agency_admin", "editor", "reviewer", "approver", "supervisor"],
  "record.draft": ["agency_admin", "editor"],
  "record.review": ["reviewer"],
  "record.approve": ["approver"],
  "record.publish": ["approver", "agency_admin"],
  "record.withdraw": ["approver", "agency_admin"],
  /** 一键脱敏: masking a personal-data finding of a revision not yet published (drafter, reviewer, approver). */
  "record.mask": ["agency_admin", "editor", "reviewer", "approver"],
  /** Sending a revision back to its drafter: the reviewer, approver or publisher, by status (record.rules RETURN_POLICY). */
  "record.return": ["reviewer", "approver", "agency_admin"],
  /** The re-review queue of withheld information (条例第18条): reviewers record reviews, the 政务公开办 sets the interval. */
  "record.rereview": ["reviewer", "agency_admin", "platform_admin"],
  /** 强制检测: the agency's sensitive-word and leader lists, and runs of the checks over published records. */
  "checks.manage": ["agency_admin"],
  "compliance.read": ["agency_admin", "editor", "reviewer", "approver", "supervisor"],
  /**
   * Marking an agency's duty notices (到期提醒) read: the agency's own staff only. Reading them is record.read; a
   * read-only supervisor must not hide a notice from the staff who have to act on it.
   */
  "notice.mark_read": ["agency_admin", "editor", "reviewer", "approver"],
  // Applications (依申请公开)
  "request.read": ["request_handler", "agency_admin", "supervisor"],
  "request.handle": ["request_handler"],
  "request.approve_extension": ["agency_admin"],
  /**
   * Withdrawing an extension proposal not yet approved (撤回延期申请): the handler who proposed it (checked by the
   * service against the proposal) or the agency's 政务公开办.
   */
  "request.withdraw_extension": ["request_handler", "agency_admin"],
  /** Reading an applicant's identity and contact in full (audited). */
  "request.read_personal": ["request_handler"],
  // Annual report (年度报告)
  "report.read": ["agency_admin", "approver", "reviewer", "supervisor"],
  "report.edit": ["agency_admin"],
  "report.review": ["reviewer", "agency_admin"],
  "report.approve": ["approver"],
  /** Sending a report back: the reviewer (submitted) or the approver (reviewed, approved), per its status. */
  "report.return": ["reviewer", "agency_admin", "approver"],
  "report.aggregate": ["supervisor"],
  // Supervision (区域监督): the regional dashboard, inspections, report audits and catalog comparisons (read-only)
  "supervision.read": ["supervisor", "platform_admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTIONS;

/** Actions a supervisor may use across its region: read-only ones only. */
const READ_ONLY: ReadonlySet<Action> = new Set<Action>([
  "catalog.read",
  "record.read",
  "compliance.read",
  "request.read",
  "report.read",
  "report.aggregate",
  "supervision.read",
  "console.use",
]);

/** What an action is performed on. Agency-scoped resources name their agency (and department, region). */
export interface Resource {
  agencyId?: string | null;
  departmentId?: string | null;
  /** The region of the agency (for supervisors) or the region itself. */
  regionId?: string | null;
  /** When the action targets a user account: that user's id (self-grant rule). */
  targetUserId?: string | null;
}

/** Can this user perform this action on this resource? Pure; no I/O. */
export function can(user: StaffUser | undefined, action: Action, resource: Resource = {}): boolean {
  if (!user) return false;
  if (user.tokenScopes && !user.tokenScopes.includes(action)) return false;
  // 三员分立: nobody manages their own account's roles.
  if (action === "user.manage" && resource.targetUserId && resource.targetUserId === user.id) return false;
  const allowed = ACTIONS[action] as readonly Role[];
  for (const grant of user.grants) {
    if (!allowed.includes(grant.role)) continue;
    if (grantCovers(user, grant, action, resource)) return true;
  }
  return false;
}

function grantCovers(user: StaffUser, grant: RoleGrant, action: Action, resource: Resource): boolean {
  // Platform-wide roles (系统管理员/安全管理员/审计管理员) have no agency scope.
  if (grant.role === "platform_admin" || grant.role === "security_admin" || grant.role === "audit_admin")
    return true;
  if (grant.role === "supervisor") {
    if (!READ_ONLY.has(action)) return false;
    if (resource.agencyId === undefined && resource.regionId === undefined) return true; // listing pages filter by region
    return resource.regionId != null && user.supervisedRegionIds.includes(resource.regionId);
  }
  // Agency roles: only within their agency.
  if (resource.agencyId === undefined) return true; // console pages that list within the user's own agency
  if (grant.agencyId === null || resource.agencyId !== grant.agencyId) return false;
  // A department-scoped editor drafts only for their department.
  if (grant.departmentId && resource.departmentId && resource.departmentId !== grant.departmentId)
    return false;
  return true;
}

/** Agencies a user may act in for an action (for filtering lists); "all" for platform roles. */
export function agencyScope(
  user: StaffUser,
  action: Action,
): { all: true } | { all: false; agencyIds: string[]; regionIds: string[] } {
  const allowed = ACTIONS[action] as readonly Role[];
  const agencyIds = new Set<string>();
  const regionIds = new Set<string>();
  for (const g of user.grants) {
    if (!allowed.includes(g.role)) continue;
    if (g.role === "platform_admin" || g.role === "security_admin" || g.role === "audit_admin")
      return { all: true };
    if (g.role === "supervisor") for (const r of user.supervisedRegionIds) regionIds.add(r);
    else if (g.agencyId) agencyIds.add(g.agencyId);
  }
  return { all: false, agencyIds: [...agencyIds], regionIds: [...regionIds] };
}
