/**
 * Test data factories shared by every feature's tests: agencies, regions, departments, staff users with roles.
 * Users get the password TEST_PASSWORD (hashed once per process). Sign in with test/auth.ts.
 *
 *   const agency = await createAgency(db);
 *   const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
 *   const s = await signIn(app, editor);            // { cookie, csrfToken, headers }
 *   await app.inject({ method: "POST", url, headers: s.headers, payload: { _csrf: s.csrfToken, ... } });
 */
import { randomBytes } from "node:crypto";
import { hashPassword } from "../src/accounts/passwords.ts";
import type { Role, RoleGrant, StaffUser } from "../src/accounts/policy.ts";
import { loadStaffUser } from "../src/accounts/session.service.ts";
import type { DbOrTx } from "../src/db/database.ts";

export const TEST_PASSWORD = "Test-Password-2026";

let testHash: Promise<string> | undefined;
function passwordHash(): Promise<string> {
  testHash ??= hashPassword(TEST_PASSWORD);
  return testHash;
}

function suffix(): string {
  return randomBytes(4).toString("hex");
}

export interface TestRegion {
  id: string;
  name: string;
}

export async function createRegion(
  db: DbOrTx,
  options: {
    name?: string;
    parentId?: string | null;
    level?: "province" | "city" | "county" | "township";
  } = {},
): Promise<TestRegion> {
  const row = await db
    .insertInto("regions")
    .values({
      name: options.name ?? `测试区划${suffix()}`,
      parent_id: options.parentId ?? null,
      level: options.level ?? "county",
      code: null,
    })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  return row;
}

export interface TestAgency {
  id: string;
  slug: string;
  name: string;
  regionId: string;
}

/** An agency in its own new region (or `regionId`). */
export async function createAgency(
  db: DbOrTx,
  /** creditCode: the 统一社会信用代码 (the default 索引号 template needs one). */
  options: { slug?: string; name?: string; regionId?: string; creditCode?: string } = {},
): Promise<TestAgency> {
  const regionId = options.regionId ?? (await createRegion(db)).id;
  const s = suffix();
  const row = await db
    .insertInto("agencies")
    .values({
      slug: options.slug ?? `agency-${s}`,
      name: options.name ?? `测试机关${s}`,
      short_name: `测试${s}`,
      region_id: regionId,
      credit_code: options.creditCode ?? null,
      org_code: null,
    })
    .returning(["id", "slug", "name", "region_id"])
    .executeTakeFirstOrThrow();
  return { id: row.id, slug: row.slug, name: row.name, regionId: row.region_id };
}

export async function createDepartment(
  db: DbOrTx,
  agencyId: string,
  name?: string,
): Promise<{ id: string; name: string }> {
  return db
    .insertInto("departments")
    .values({ agency_id: agencyId, name: name ?? `股室${suffix()}` })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

export type RoleSpec =
  | Role
  | { role: Role; agencyId?: string | null; departmentId?: string | null; regionId?: string | null };

export interface TestUser extends StaffUser {
  password: string;
}

/**
 * A staff user. Agency roles default to `agencyId`; supervisor grants default to `regionId`; platform roles have no
 * scope. Example: createUser(db, { roles: ["editor", "reviewer"], agencyId }).
 */
export async function createUser(
  db: DbOrTx,
  options: {
    roles: RoleSpec[];
    agencyId?: string | null;
    regionId?: string | null;
    username?: string;
    displayName?: string;
    active?: boolean;
    mustChangePassword?: boolean;
  },
): Promise<TestUser> {
  const s = suffix();
  const row = await db
    .insertInto("staff_users")
    .values({
      username: options.username ?? `user-${s}`,
      display_name: options.displayName ?? `测试用户${s}`,
      home_agency_id: options.agencyId ?? null,
      home_region_id: options.regionId ?? null,
      password_hash: await passwordHash(),
      must_change_password: options.mustChangePassword ?? false,
      active: options.active ?? true,
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      last_login_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const spec of options.roles) {
    const grant = toGrant(spec, options);
    await db
      .insertInto("role_grants")
      .values({
        user_id: row.id,
        role: grant.role,
        scope_agency_id: grant.agencyId,
        department_id: grant.departmentId,
        scope_region_id: grant.regionId,
        created_by: null,
      })
      .execute();
  }
  return { ...(await loadStaffUser(db, row)), password: TEST_PASSWORD };
}

function toGrant(spec: RoleSpec, options: { agencyId?: string | null; regionId?: string | null }): RoleGrant {
  const s = typeof spec === "string" ? { role: spec } : spec;
  const platform = s.role === "platform_admin" || s.role === "security_admin" || s.role === "audit_admin";
  if (platform) return { role: s.role, agencyId: null, departmentId: null, regionId: null };
  if (s.role === "supervisor") {
    const regionId = s.regionId ?? options.regionId ?? null;
    if (!regionId) throw new Error("createUser: a supervisor grant needs regionId");
    return { role: s.role, agencyId: null, departmentId: null, regionId };
  }
  const agencyId = s.agencyId ?? options.agencyId ?? null;
  if (!agencyId) throw new Error(`createUser: role ${s.role} needs agencyId`);
  return { role: s.role, agencyId, departmentId: s.departmentId ?? null, regionId: null };
}

/** Realistic contact details of a 政府信息公开指南: notices refuse to be generated without them. */
export const TEST_GUIDE_CONTACT = {
  officeName: "测试机关办公室",
  officeAddress: "测试市新华大街1号",
  phone: "0471-6912345",
  reviewBody: "测试市人民政府",
  court: "测试市新城区人民法院",
} as const;

/** Fills the guide's contact details (office, address, phone, 行政复议机关, court) of an agency. */
export async function fillGuideContact(
  db: DbOrTx,
  agencyId: string,
  contact: Partial<typeof TEST_GUIDE_CONTACT> = {},
): Promise<void> {
  const c = { ...TEST_GUIDE_CONTACT, ...contact };
  const values = {
    office_name: c.officeName,
    office_address: c.officeAddress,
    phone: c.phone,
    review_body: c.reviewBody,
    court: c.court,
  };
  await db
    .insertInto("agency_profiles")
    .values({ agency_id: agencyId, ...values })
    .onConflict((oc) => oc.column("agency_id").doUpdateSet(values))
    .execute();
}
