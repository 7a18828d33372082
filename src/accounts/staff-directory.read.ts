/**
 * @module Who may act (public read module of accounts): the active staff members holding an action in an agency
 * (and 股室), with where they want notifications e-mailed. Other features use it to address notifications
 * (src/messaging/staff-notification.service.ts) without reading accounts' tables.
 */
import type { DbOrTx } from "../db/database.ts";
import { ACTIONS, type Action, can, type Role, type StaffUser } from "./policy.ts";

export interface StaffContact {
  id: string;
  displayName: string;
  email: string | null;
  emailNotifications: boolean;
}

/**
 * Active accounts that may perform `action` on a resource of the agency (and department): agency roles of that
 * agency only (platform and regional accounts are never addressed with an agency's work).
 */
export async function staffWhoCan(
  db: DbOrTx,
  action: Action,
  resource: { agencyId: string; departmentId?: string | null },
): Promise<StaffContact[]> {
  const roles = ACTIONS[action] as readonly Role[];
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("staff_users as u", "u.id", "g.user_id")
    .select([
      "u.id",
      "u.display_name",
      "u.email",
      "u.email_notifications",
      "g.role",
      "g.scope_agency_id",
      "g.department_id",
    ])
    .where("u.active", "=", true)
    .where("g.scope_agency_id", "=", resource.agencyId)
    .where("g.role", "in", [...roles])
    .execute();
  const users = new Map<string, { contact: StaffContact; user: StaffUser }>();
  for (const r of rows) {
    const entry = users.get(r.id) ?? {
      contact: {
        id: r.id,
        displayName: r.display_name,
        email: r.email,
        emailNotifications: r.email_notifications,
      },
      user: {
        id: r.id,
        username: "",
        displayName: r.display_name,
        agencyId: resource.agencyId,
        grants: [],
        supervisedRegionIds: [],
      },
    };
    entry.user.grants.push({
      role: r.role,
      agencyId: r.scope_agency_id,
      departmentId: r.department_id,
      regionId: null,
    });
    users.set(r.id, entry);
  }
  return [...users.values()]
    .filter((e) =>
      can(e.user, action, { agencyId: resource.agencyId, departmentId: resource.departmentId ?? null }),
    )
    .map((e) => e.contact);
}

/** The contacts of the given accounts (active ones only), e.g. the editor a record is sent back to. */
export async function staffContacts(db: DbOrTx, ids: readonly string[]): Promise<StaffContact[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("staff_users")
    .select(["id", "display_name", "email", "email_notifications"])
    .where("id", "in", [...ids])
    .where("active", "=", true)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    email: r.email,
    emailNotifications: r.email_notifications,
  }));
}
