import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Action, agencyScope, can, type Resource, type Role, type StaffUser } from "./policy.ts";

function user(
  role: Role,
  scope: { agencyId?: string; regionId?: string; departmentId?: string } = {},
): StaffUser {
  return {
    id: `u-${role}`,
    username: role,
    displayName: role,
    agencyId: scope.agencyId ?? null,
    grants: [
      {
        role,
        agencyId: scope.agencyId ?? null,
        departmentId: scope.departmentId ?? null,
        regionId: scope.regionId ?? null,
      },
    ],
    supervisedRegionIds: scope.regionId ? [scope.regionId, `${scope.regionId}-child`] : [],
  };
}

const A = { agencyId: "A", regionId: "R1" };
const B = { agencyId: "B", regionId: "R2" };

describe("can(user, action, resource)", () => {
  const cases: [string, StaffUser | undefined, Action, Resource, boolean][] = [
    ["anonymous can do nothing", undefined, "console.use", {}, false],
    ["editor drafts in its agency", user("editor", { agencyId: "A" }), "record.draft", A, true],
    ["editor cannot draft in another agency", user("editor", { agencyId: "A" }), "record.draft", B, false],
    ["editor cannot publish", user("editor", { agencyId: "A" }), "record.publish", A, false],
    [
      "department editor drafts only for its department",
      user("editor", { agencyId: "A", departmentId: "d1" }),
      "record.draft",
      { ...A, departmentId: "d2" },
      false,
    ],
    ["approver approves", user("approver", { agencyId: "A" }), "record.approve", A, true],
    ["reviewer cannot approve", user("reviewer", { agencyId: "A" }), "record.approve", A, false],
    ["system admin manages the platform", user("platform_admin"), "platform.manage", {}, true],
    ["system admin cannot read the audit log (三员分立)", user("platform_admin"), "audit.read", {}, false],
    ["system admin cannot manage users (三员分立)", user("platform_admin"), "user.manage", {}, false],
    ["security admin manages users", user("security_admin"), "user.manage", { targetUserId: "x" }, true],
    [
      "security admin cannot manage its own account",
      user("security_admin"),
      "user.manage",
      { targetUserId: "u-security_admin" },
      false,
    ],
    ["auditor reads the audit log", user("audit_admin"), "audit.read", {}, true],
    ["auditor cannot edit a catalog", user("audit_admin"), "catalog.edit", A, false],
    ["supervisor reads in its region", user("supervisor", { regionId: "R1" }), "record.read", A, true],
    [
      "supervisor reads in a sub-region",
      user("supervisor", { regionId: "R1" }),
      "record.read",
      { agencyId: "C", regionId: "R1-child" },
      true,
    ],
    [
      "supervisor cannot read outside its region",
      user("supervisor", { regionId: "R1" }),
      "record.read",
      B,
      false,
    ],
    ["supervisor cannot handle requests", user("supervisor", { regionId: "R1" }), "request.handle", A, false],
    [
      "request handler reads personal data in its agency",
      user("request_handler", { agencyId: "A" }),
      "request.read_personal",
      A,
      true,
    ],
    [
      "agency admin cannot read personal data",
      user("agency_admin", { agencyId: "A" }),
      "request.read_personal",
      A,
      false,
    ],
    [
      "API token limited to its scopes",
      { ...user("editor", { agencyId: "A" }), tokenScopes: ["record.read"] },
      "record.draft",
      A,
      false,
    ],
  ];
  for (const [label, u, action, resource, expected] of cases)
    it(label, () => assert.equal(can(u, action, resource), expected));
});

describe("agencyScope", () => {
  it("platform roles see all; agency roles their agencies; supervisors their regions", () => {
    assert.deepEqual(agencyScope(user("security_admin"), "user.manage"), { all: true });
    assert.deepEqual(agencyScope(user("agency_admin", { agencyId: "A" }), "user.manage"), {
      all: false,
      agencyIds: ["A"],
      regionIds: [],
    });
    assert.deepEqual(agencyScope(user("supervisor", { regionId: "R1" }), "record.read"), {
      all: false,
      agencyIds: [],
      regionIds: ["R1", "R1-child"],
    });
  });
});
