/**
 * @module `gongkai user create | list | reset-password`: operator commands for staff accounts (the command line is
 * trusted: it runs with the database credentials). Passwords are never taken as arguments (they would land in shell
 * history): `--password-stdin` reads one, otherwise a one-time password is printed and must be changed at first
 * sign-in.
 */
import {
  type AccountDirectory,
  createAccount,
  listAccounts,
  loadDirectory,
  resetPasswordByUsername,
} from "../accounts/accounts.service.ts";
import { ROLES, type Role, type RoleGrant, systemActor } from "../accounts/policy.ts";
import { CliError, type CliIo, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

async function readStdin(io: CliIo): Promise<string> {
  if (!io.stdin) throw new CliError("--password-stdin：没有标准输入 / no standard input", 2);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** `ROLE` or `ROLE:scope` — scope is an agency slug (agency roles) or a region name/code path (supervisor). */
export function parseRoleSpec(spec: string, dir: AccountDirectory): RoleGrant {
  const [roleName, scope] = spec.split(/:(.*)/s) as [string, string | undefined];
  if (!Object.hasOwn(ROLES, roleName))
    throw new CliError(
      `--role：没有角色“${roleName}” / unknown role "${roleName}"; roles: ${Object.keys(ROLES).join(", ")}`,
      2,
    );
  const role = roleName as Role;
  if (role === "platform_admin" || role === "security_admin" || role === "audit_admin") {
    if (scope)
      throw new CliError(
        `--role：${role} 是平台级角色，不能指定范围 / ${role} is platform-wide and takes no scope`,
        2,
      );
    return { role, agencyId: null, departmentId: null, regionId: null };
  }
  if (!scope)
    throw new CliError(
      `--role：${role} 须指定${role === "supervisor" ? "地区" : "机关"} / ${role} needs a scope: ${role}:<${role === "supervisor" ? "region" : "agency-slug"}>`,
      2,
    );
  if (role === "supervisor") {
    const region = dir.regions.find(
      (r) => r.id === scope || r.name === scope || r.name.endsWith(` / ${scope}`),
    );
    if (!region)
      throw new CliError(`--role：没有地区“${scope}”（请写地区名称，如 聊城市） / no region "${scope}"`, 1);
    return { role, agencyId: null, departmentId: null, regionId: region.id };
  }
  const agency = dir.agencies.find((a) => a.slug === scope);
  if (!agency) throw new CliError(`--role：没有标识为“${scope}”的机关 / no agency with slug "${scope}"`, 1);
  return { role, agencyId: agency.id, departmentId: null, regionId: null };
}

export const userCreateCommand: Command = {
  name: "user create",
  summary: "创建工作人员账户 / create a staff account",
  usage:
    "gongkai user create --username NAME --name 显示名 --role ROLE[:agency-slug|:region] [--role …] [--password-stdin] [--json]",
  fieldLabels: {
    username: "--username（用户名）",
    displayName: "--name（姓名）",
    password: "--password-stdin（密码）",
    grants: "--role（角色）",
  },
  options: {
    username: { type: "string" },
    name: { type: "string" },
    role: { type: "string", multiple: true },
    "password-stdin": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values }, io, env) {
    const username = requireString(values, "username", this.usage);
    const displayName = requireString(values, "name", this.usage);
    const roles = (values.role as string[] | undefined) ?? [];
    if (roles.length === 0)
      throw new CliError(`缺少 --role / --role is required\n用法 / usage: ${this.usage}`, 2);
    const password = values["password-stdin"] ? await readStdin(io) : undefined;
    return withRuntime(
      async ({ deps }) => {
        const dir = await loadDirectory(deps.db);
        const grants = roles.map((r) => parseRoleSpec(r, dir));
        const home = grants.find((g) => g.agencyId)?.agencyId ?? null;
        const region = grants.find((g) => g.regionId)?.regionId ?? null;
        const { account, oneTimePassword } = await createAccount(deps, systemActor("系统（命令行）"), {
          username,
          displayName,
          homeAgencyId: home,
          homeRegionId: region,
          password,
          grants,
        });
        if (values.json) printJson(io, { id: account.id, username: account.username, oneTimePassword });
        else {
          io.stdout.write(
            `已创建账户 created: ${account.username} (${account.grants.map((g) => g.role).join(", ")})\n`,
          );
          if (oneTimePassword)
            io.stdout.write(
              `一次性密码 one-time password (首次登录后须修改 / must be changed at first sign-in): ${oneTimePassword}\n`,
            );
        }
        return 0;
      },
      { io, env },
    );
  },
};

export const userListCommand: Command = {
  name: "user list",
  summary: "列出工作人员账户 / list staff accounts",
  usage: "gongkai user list [--json]",
  options: { json: { type: "boolean" } },
  async run({ values }, io, env) {
    return withRuntime(
      async ({ deps }) => {
        const [accounts, dir] = await Promise.all([listAccounts(deps.db, {}), loadDirectory(deps.db)]);
        const scope = (g: RoleGrant) =>
          g.agencyId
            ? `:${dir.agencies.find((a) => a.id === g.agencyId)?.slug ?? g.agencyId}`
            : g.regionId
              ? `:${dir.regions.find((r) => r.id === g.regionId)?.name ?? g.regionId}`
              : "";
        if (values.json) {
          printJson(
            io,
            accounts.map((a) => ({
              id: a.id,
              username: a.username,
              displayName: a.displayName,
              active: a.active,
              totp: a.totpEnabled,
              roles: a.grants.map((g) => `${g.role}${scope(g)}`),
            })),
          );
        } else {
          for (const a of accounts)
            io.stdout.write(
              `${a.username.padEnd(20)} ${a.active ? "active  " : "disabled"} ${a.displayName}  ${a.grants.map((g) => `${g.role}${scope(g)}`).join(", ")}\n`,
            );
          if (accounts.length === 0) io.stdout.write("（尚无账户 / no accounts）\n");
        }
        return 0;
      },
      { io, env },
    );
  },
};

export const userResetPasswordCommand: Command = {
  name: "user reset-password",
  summary: "重置账户密码并退出其所有登录 / reset a password (ends the user's sessions)",
  usage: "gongkai user reset-password --username NAME [--password-stdin] [--clear-totp]",
  fieldLabels: { password: "--password-stdin（新密码）" },
  options: {
    username: { type: "string" },
    "password-stdin": { type: "boolean" },
    "clear-totp": { type: "boolean" },
  },
  async run({ values }, io, env) {
    const username = requireString(values, "username", this.usage);
    const password = values["password-stdin"] ? await readStdin(io) : undefined;
    return withRuntime(
      async ({ deps }) => {
        const { oneTimePassword } = await resetPasswordByUsername(deps, username, password, {
          clearTotp: Boolean(values["clear-totp"]),
        });
        io.stdout.write(`已重置 reset: ${username}\n`);
        if (oneTimePassword) io.stdout.write(`一次性密码 one-time password: ${oneTimePassword}\n`);
        return 0;
      },
      { io, env },
    );
  },
};
