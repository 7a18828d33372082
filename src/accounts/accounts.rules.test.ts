import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  canGrant,
  grantShapeProblem,
  isValidUsername,
  passwordProblem,
  separationProblem,
} from "./accounts.rules.ts";
import type { Role, RoleGrant, StaffUser } from "./policy.ts";

describe("password policy (等保2.0 身份鉴别: 口令复杂度)", () => {
  const cases: [string, string, boolean][] = [
    ["correct horse battery", "alice", true], // ≥ 12 characters
    ["aaaaaaaaaaaa", "alice", true], // 12 characters, one class: allowed by length
    ["Abc123!x", "alice", true], // 8 characters, four classes
    ["abc12345", "alice", false], // 8 characters, two classes
    ["Abcdefgh", "alice", false], // two classes
    ["Ab1!", "alice", false], // too short
    ["Alice.Wang2026", "alice.wang2026", false], // equals the username (case-insensitive)
    ["x".repeat(129), "alice", false], // too long
  ];
  for (const [password, username, ok] of cases) {
    it(`${JSON.stringify(password.slice(0, 20))} for ${username} → ${ok ? "accepted" : "rejected"}`, () =>
      assert.equal(passwordProblem(password, username) === undefined, ok));
  }
});

describe("usernames", () => {
  for (const [u, ok] of [
    ["li.ming", true],
    ["zw-hrss_01", true],
    ["ab", false],
    ["Li", false],
    ["-abc", false],
    ["李明", false],
  ] as const) {
    it(`${u} → ${ok}`, () => assert.equal(isValidUsername(u), ok));
  }
});

const g = (role: Role, scope: Partial<RoleGrant> = {}): RoleGrant => ({
  role,
  agencyId: null,
  departmentId: null,
  regionId: null,
  ...scope,
});

describe("grant shapes", () => {
  const cases: [RoleGrant, boolean][] = [
    [g("platform_admin"), true],
    [g("platform_admin", { agencyId: "a" }), false],
    [g("supervisor", { regionId: "r" }), true],
    [g("supervisor"), false],
    [g("supervisor", { regionId: "r", agencyId: "a" }), false],
    [g("editor", { agencyId: "a", departmentId: "d" }), true],
    [g("reviewer", { agencyId: "a", departmentId: "d" }), false],
    [g("approver"), false],
  ];
  for (const [grant, ok] of cases)
    it(`${JSON.stringify(grant)} → ${ok}`, () => assert.equal(grantShapeProblem(grant) === undefined, ok));
});

describe("三员分立", () => {
  const cases: [Role[], boolean][] = [
    [["platform_admin"], true],
    [["platform_admin", "audit_admin"], false],
    [["security_admin", "platform_admin"], false],
    [["audit_admin", "editor"], false],
    [["editor", "reviewer", "approver"], true],
  ];
  for (const [roles, ok] of cases)
    it(`${roles.join("+")} → ${ok}`, () => assert.equal(separationProblem(roles) === undefined, ok));
});

describe("who may grant what", () => {
  const user = (id: string, grants: RoleGrant[]): StaffUser => ({
    id,
    username: id,
    displayName: id,
    agencyId: null,
    grants,
    supervisedRegionIds: [],
  });
  const sec = user("sec", [g("security_admin")]);
  const sys = user("sys", [g("platform_admin")]);
  const adminA = user("adminA", [g("agency_admin", { agencyId: "A" })]);
  const cases: [string, StaffUser, RoleGrant, string | null, boolean][] = [
    ["security admin grants a platform role", sec, g("audit_admin"), "u1", true],
    ["security admin cannot grant to itself", sec, g("audit_admin"), "sec", false],
    ["system admin grants nothing", sys, g("editor", { agencyId: "A" }), "u1", false],
    ["agency admin grants an agency role in its agency", adminA, g("editor", { agencyId: "A" }), "u1", true],
    ["agency admin cannot grant in another agency", adminA, g("editor", { agencyId: "B" }), "u1", false],
    [
      "agency admin may appoint another agency admin in its agency",
      adminA,
      g("agency_admin", { agencyId: "A" }),
      "u1",
      true,
    ],
    ["agency admin cannot grant platform roles", adminA, g("security_admin"), "u1", false],
    ["agency admin cannot grant supervisor", adminA, g("supervisor", { regionId: "r" }), "u1", false],
  ];
  for (const [label, actor, grant, target, ok] of cases)
    it(label, () => assert.equal(canGrant(actor, grant, target), ok));
});
