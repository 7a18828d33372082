/**
 * @module Pages of the accounts feature (zh-CN): sign-in, first-run set-up, console home, my account (password,
 * TOTP, API tokens), user and role management.
 */
import type { ConsoleLink, WorkSection } from "../http/console-links.ts";
import { csrfInput, errorSummary, type FieldErrors, fieldId, selectField, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { isPlatformRole } from "./accounts.rules.ts";
import type { Account } from "./accounts.service.ts";
import type { ApiTokenInfo } from "./api-token.service.ts";
import { ROLES, type Role, type RoleGrant, type StaffUser } from "./policy.ts";

export interface Directory {
  agencies: { id: string; name: string; slug: string }[];
  regions: { id: string; name: string }[];
  departments: { id: string; agencyId: string; name: string }[];
}

const staff = (
  ctx: PageContext,
  title: string,
  body: SafeHtml,
  crumbs: { href?: string; label: string }[] = [],
) =>
  page(ctx, {
    title,
    area: "staff",
    body,
    breadcrumbs: crumbs.length ? [{ href: "/admin", label: "工作台" }, ...crumbs] : [],
  });

export function grantLabel(g: RoleGrant, dir: Directory): string {
  const role = ROLES[g.role];
  if (g.regionId) return `${role}（${dir.regions.find((r) => r.id === g.regionId)?.name ?? "区域"}）`;
  if (g.agencyId) {
    const agency = dir.agencies.find((a) => a.id === g.agencyId)?.name ?? "机关";
    const dept = g.departmentId ? dir.departments.find((d) => d.id === g.departmentId)?.name : undefined;
    return `${role}（${agency}${dept ? ` · ${dept}` : ""}）`;
  }
  return role;
}

function when(d: Date | null): string {
  return d ? shanghaiDateTime(d) : "—";
}

// Sign-in ----------------------------------------------------------------------------------------------------

export function loginPage(
  ctx: PageContext,
  o: { username?: string; next?: string; error?: string; totpRequired?: boolean; notice?: string },
): SafeHtml {
  const errors: FieldErrors = o.totpRequired
    ? { totp: "该账户已启用动态验证码，请输入手机应用中的 6 位数字。" }
    : {};
  return staff(
    ctx,
    "工作人员登录",
    html`<h1>工作人员登录</h1>
${o.notice ? html`<p class="notice notice-ok" role="status">${o.notice}</p>` : ""}
${o.error ? html`<div class="notice notice-error" role="alert" id="error-summary"><p>${o.error}</p></div>` : errorSummary(errors)}
<form method="post" action="/admin/login" class="stack" novalidate>
${csrfInput(ctx)}
<input type="hidden" name="next" value="${o.next ?? ""}">
${textField({ name: "username", label: "用户名", value: o.username, required: true, autocomplete: "username", maxlength: 40 })}
${textField({ name: "password", label: "密码", type: "password", required: true, autocomplete: "current-password", maxlength: 128 })}
${textField({ name: "totp", label: "动态验证码", hint: "已启用动态验证码（双因素认证）的账户请填写；未启用的账户留空。", errors, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6 })}
<p><button type="submit">登录</button></p>
</form>
<p class="hint">连续多次输错后，账户将被暂时锁定。忘记密码请联系本机关政务公开办或平台安全管理员重置。</p>`,
  );
}

// First-run set-up ----------------------------------------------------------------------------------------------

const SETUP_ROLES = [
  ["security_admin", "安全管理员", "负责创建账户、分配角色。"],
  ["platform_admin", "系统管理员", "负责平台配置（机关、日历等），不能查看审计日志，不能给自己授权。"],
  ["audit_admin", "审计管理员", "只能查看和导出审计日志。"],
] as const;

export function setupPage(
  ctx: PageContext,
  o: { token: string; values?: Record<string, string>; errors?: FieldErrors },
): SafeHtml {
  const errors = o.errors ?? {};
  const v = o.values ?? {};
  return staff(
    ctx,
    "平台初始化",
    html`<h1>平台初始化：创建管理员账户</h1>
<p>按照“三员分立”要求，系统管理员、安全管理员、审计管理员分别由不同账户担任。请为三者各设置用户名、姓名和密码；此链接只能使用一次。</p>
<p class="hint">密码至少 12 个字符，或至少 8 个字符且包含大写字母、小写字母、数字、符号中的三类；不能与用户名相同。</p>
${errorSummary(errors)}
<form method="post" action="/admin/setup" class="stack" novalidate>
${csrfInput(ctx)}
<input type="hidden" name="token" value="${o.token}">
${SETUP_ROLES.map(
  ([role, label, hint]) => html`<fieldset><legend>${label}</legend><p class="hint">${hint}</p>
${textField({ name: `${role}.username`, label: "用户名", value: v[`${role}.username`], errors, required: true, autocomplete: "off", maxlength: 40 })}
${textField({ name: `${role}.displayName`, label: "姓名", value: v[`${role}.displayName`], errors, required: true, maxlength: 50 })}
${textField({ name: `${role}.password`, label: "密码", type: "password", errors, required: true, autocomplete: "new-password", maxlength: 128 })}
</fieldset>`,
)}
<p><button type="submit">创建管理员账户</button></p>
</form>`,
  );
}

export function setupDonePage(ctx: PageContext, accounts: Account[]): SafeHtml {
  return staff(
    ctx,
    "初始化完成",
    html`<h1>初始化完成</h1>
<p class="notice notice-ok" role="status">已创建以下管理员账户，请分别交给相应人员使用：</p>
<ul>${accounts.map((a) => html`<li>${a.displayName}（${a.username}）：${a.grants.map((g) => ROLES[g.role]).join("、")}</li>`)}</ul>
<p><a class="button" href="/admin/login">前往登录</a></p>`,
  );
}

// Console home ----------------------------------------------------------------------------------------------------

export function consoleHome(
  ctx: PageContext,
  user: StaffUser,
  links: ConsoleLink[],
  dir: Directory,
  /** Notices from other features (e.g. annual-report reminders), already rendered. */
  notices: SafeHtml = html``,
  /** This person's to-do sections from every feature (empty ones already left out). */
  work: readonly WorkSection[] = [],
): SafeHtml {
  const cards = links.filter((l) => l.href !== "/admin");
  return staff(
    ctx,
    "工作台",
    html`<h1>工作台</h1>
<p>${user.displayName}，您好。您的角色：${user.grants.length ? user.grants.map((g) => grantLabel(g, dir)).join("；") : "（尚未分配角色，请联系管理员）"}</p>
${worklist(work)}
${notices}
${cards.length ? html`<ul class="cards">${cards.map((l) => html`<li><a href="${l.href}">${l.label}</a>${l.description ? html`<p class="hint">${l.description}</p>` : ""}</li>`)}</ul>` : ""}`,
  );
}

/** 我的待办: what waits for this person, section by section, most urgent first. */
function worklist(work: readonly WorkSection[]): SafeHtml {
  const total = work.reduce((n, s) => n + s.count, 0);
  return html`<section class="worklist" aria-labelledby="todo-h">
<h2 id="todo-h">我的待办${total ? html` <span class="count">${String(total)}</span>` : ""}</h2>
${
  work.length === 0
    ? html`<p>目前没有等待您处理的事项。</p>`
    : html`<ul class="work-sections">${work.map(
        (s) => html`<li class="work-section" id="todo-${s.key.replace(/[^a-z0-9-]/gi, "-")}">
<h3>${s.label} <span class="count">${String(s.count)}</span></h3>
${s.hint ? html`<p class="hint">${s.hint}</p>` : ""}
<ul class="work-items">${s.items.map(
          (i) =>
            html`<li><a href="${i.href}">${i.title}</a>${i.overdue ? html` <span class="badge badge-late">已逾期</span>` : ""}${i.due ? html` <span class="nowrap">期限 <time datetime="${i.due}">${i.due}</time></span>` : ""}${i.note ? html`<br><span class="hint">${i.note}</span>` : ""}</li>`,
        )}</ul>
${s.moreHref ? html`<p><a href="${s.moreHref}">${s.count > s.items.length ? `查看全部${s.count}项` : "打开列表"}</a></p>` : s.count > s.items.length ? html`<p class="hint">另有${String(s.count - s.items.length)}项未列出。</p>` : ""}
</li>`,
      )}</ul>`
}
</section>`;
}

// My account ------------------------------------------------------------------------------------------------------

export function accountPage(
  ctx: PageContext,
  o: {
    user: StaffUser;
    account: Account;
    dir: Directory;
    tokens: ApiTokenInfo[];
    scopes: string[];
    notice?: string | undefined;
    newToken?: string | undefined;
    totpPending?: { secret: string; uri: string; qrSvg?: SafeHtml | undefined } | undefined;
    /** No encryption key configured: TOTP secrets are stored unencrypted (warned on the enrolment page). */
    totpUnencrypted?: boolean | undefined;
    errors?: FieldErrors | undefined;
  },
): SafeHtml {
  const errors = o.errors ?? {};
  const a = o.account;
  return staff(
    ctx,
    "我的账户",
    html`<h1>我的账户</h1>
${o.notice ? html`<p class="notice notice-ok" role="status">${o.notice}</p>` : ""}
${errorSummary(errors)}
<table class="meta-table"><tbody>
<tr><th scope="row">用户名</th><td>${a.username}</td></tr>
<tr><th scope="row">姓名</th><td>${a.displayName}</td></tr>
<tr><th scope="row">角色</th><td>${a.grants.map((g) => grantLabel(g, o.dir)).join("；") || "—"}</td></tr>
<tr><th scope="row">上次登录</th><td>${when(a.lastLoginAt)}</td></tr>
</tbody></table>

<h2>密码</h2>
<p><a class="button" href="/admin/account/password">修改密码</a></p>

<h2 id="totp">动态验证码（双因素认证）</h2>
${!a.totpEnabled && o.totpUnencrypted ? html`<p class="notice notice-warn" role="note">注意：服务器未配置加密密钥（<code>GONGKAI_ENCRYPTION_KEY</code>），动态验证码密钥将以明文保存在数据库中，能读取数据库的人可以生成您的验证码。请系统管理员配置加密密钥。</p>` : ""}
${
  a.totpEnabled
    ? html`<p>已启用。登录时除密码外还需输入手机应用显示的 6 位动态验证码。</p>
<form method="post" action="/admin/account/totp/disable" class="stack">${csrfInput(ctx)}
${textField({ name: "currentPassword", label: "当前密码（关闭前确认）", type: "password", errors, required: true, autocomplete: "current-password" })}
<p><button type="submit" class="danger">关闭动态验证码</button></p></form>`
    : o.totpPending
      ? html`<p>请用身份验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator）添加以下密钥，然后输入应用显示的 6 位数字完成启用。</p>
${o.totpPending.qrSvg ? html`<figure class="qr">${o.totpPending.qrSvg}<figcaption>扫描二维码添加</figcaption></figure>` : ""}
<p>密钥：<code>${o.totpPending.secret}</code></p>
<p>配置链接：<code class="break">${o.totpPending.uri}</code></p>
<form method="post" action="/admin/account/totp/confirm" class="stack">${csrfInput(ctx)}
${textField({ name: "code", label: "动态验证码", errors, required: true, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6 })}
<p><button type="submit">启用</button></p></form>`
      : html`<p>未启用。建议启用动态验证码以保护账户。</p>
<form method="post" action="/admin/account/totp/begin">${csrfInput(ctx)}<button type="submit">开始设置</button></form>`
}

<h2 id="tokens">API 令牌</h2>
<p>供其他系统通过接口（<code>Authorization: Bearer …</code>）调用本平台。令牌只显示一次，请妥善保存；不用时请撤销。</p>
${o.newToken ? html`<div class="notice notice-warn" role="status"><p>新令牌（只显示这一次）：</p><p><code class="break">${o.newToken}</code></p></div>` : ""}
${
  o.tokens.length
    ? html`<div class="table-scroll"><table><caption>我的令牌</caption><thead><tr><th scope="col">名称</th><th scope="col">前缀</th><th scope="col">权限</th><th scope="col">创建</th><th scope="col">最近使用</th><th scope="col">到期</th><th scope="col">状态</th></tr></thead><tbody>
${o.tokens.map(
  (
    t,
  ) => html`<tr><td>${t.name}</td><td><code>${t.prefix}…</code></td><td>${t.scopes.join(", ")}</td><td>${when(t.createdAt)}</td><td>${when(t.lastUsedAt)}</td><td>${when(t.expiresAt)}</td>
<td>${t.revokedAt ? html`已撤销` : html`<form method="post" action="/admin/account/tokens/${t.id}/revoke" class="inline">${csrfInput(ctx)}<button type="submit" class="link">撤销</button></form>`}</td></tr>`,
)}
</tbody></table></div>`
    : html`<p>暂无令牌。</p>`
}
<form method="post" action="/admin/account/tokens" class="stack">${csrfInput(ctx)}
${textField({ name: "name", label: "令牌名称", errors, required: true, maxlength: 60, hint: "例如：档案系统对接" })}
<fieldset${errors.scopes ? html` aria-describedby="${fieldId("scopes")}-error"` : ""}><legend>权限范围</legend>
<div id="${fieldId("scopes")}">${o.scopes.map((s) => html`<label class="check"><input type="checkbox" name="scopes" value="${s}"> <code>${s}</code></label>`)}</div>
${errors.scopes ? html`<p class="field-error" id="${fieldId("scopes")}-error">${errors.scopes}</p>` : ""}
</fieldset>
${textField({ name: "expiresInDays", label: "有效天数", type: "number", value: "90", errors, hint: "1–366 天" })}
<p><button type="submit">创建令牌</button></p></form>

<h2>登录会话</h2>
<form method="post" action="/admin/logout-all">${csrfInput(ctx)}<button type="submit" class="danger">退出所有设备上的登录</button></form>`,
    [{ label: "我的账户" }],
  );
}

export function passwordPage(
  ctx: PageContext,
  o: { required: boolean; errors?: FieldErrors; notice?: string },
): SafeHtml {
  const errors = o.errors ?? {};
  return staff(
    ctx,
    "修改密码",
    html`<h1>修改密码</h1>
${o.required ? html`<p class="notice notice-warn" role="status">您正在使用管理员设置的初始密码或临时密码。请先设置只有您自己知道的新密码，然后才能继续使用工作台。</p>` : ""}
${errorSummary(errors, { currentPassword: "当前密码", newPassword: "新密码", confirmPassword: "确认新密码" })}
<form method="post" action="/admin/account/password" class="stack" novalidate>
${csrfInput(ctx)}
${textField({ name: "currentPassword", label: "当前密码", type: "password", errors, required: true, autocomplete: "current-password", maxlength: 128 })}
${textField({ name: "newPassword", label: "新密码", type: "password", errors, required: true, autocomplete: "new-password", maxlength: 128, hint: "至少 12 个字符，或至少 8 个字符且包含大写字母、小写字母、数字、符号中的三类；不能与用户名相同。" })}
${textField({ name: "confirmPassword", label: "确认新密码", type: "password", errors, required: true, autocomplete: "new-password", maxlength: 128 })}
<p><button type="submit">保存新密码</button></p>
</form>
<p class="hint">修改后，您在其他设备上的登录将全部退出。</p>`,
    [{ href: "/admin/account", label: "我的账户" }, { label: "修改密码" }],
  );
}

// User management -------------------------------------------------------------------------------------------------

export function usersPage(
  ctx: PageContext,
  o: { accounts: Account[]; dir: Directory; search: string; agencyFilter: string; canPickAgency: boolean },
): SafeHtml {
  const agencyName = (id: string | null) =>
    id ? (o.dir.agencies.find((a) => a.id === id)?.name ?? "—") : "平台/区域";
  return staff(
    ctx,
    "用户与角色",
    html`<h1>用户与角色</h1>
<p><a class="button" href="/admin/users/new">新建账户</a></p>
<form method="get" action="/admin/users" class="search-form" role="search" aria-label="筛选用户">
<label for="users-q">用户名或姓名</label><input type="search" id="users-q" name="q" value="${o.search}" maxlength="50">
${o.canPickAgency ? html`<label for="users-agency">机关</label><select id="users-agency" name="agency"><option value="">全部</option>${o.dir.agencies.map((a) => html`<option value="${a.id}"${a.id === o.agencyFilter ? html` selected` : ""}>${a.name}</option>`)}</select>` : ""}
<button type="submit">筛选</button></form>
<div class="table-scroll"><table><caption>账户（${String(o.accounts.length)}）</caption>
<thead><tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">所属</th><th scope="col">角色</th><th scope="col">状态</th><th scope="col">上次登录</th></tr></thead>
<tbody>${o.accounts.map(
      (
        a,
      ) => html`<tr><td><a href="/admin/users/${a.id}">${a.username}</a></td><td>${a.displayName}</td><td>${agencyName(a.homeAgencyId)}</td>
<td>${a.grants.map((g) => grantLabel(g, o.dir)).join("；") || "—"}</td>
<td>${a.active ? html`<span class="badge badge-ok">正常</span>` : html`<span class="badge badge-err">已停用</span>`}${a.mustChangePassword ? html` <span class="badge badge-warn">待改密码</span>` : ""}</td>
<td>${when(a.lastLoginAt)}</td></tr>`,
    )}</tbody></table></div>`,
    [{ label: "用户与角色" }],
  );
}

function roleOptions(roles: readonly Role[]) {
  return roles.map((r) => ({ value: r, label: ROLES[r] }));
}

function grantFields(o: {
  dir: Directory;
  roles: readonly Role[];
  fixedAgencyId?: string | null | undefined;
  values: Record<string, string>;
  errors: FieldErrors;
}): SafeHtml {
  const agencyOptions = o.dir.agencies
    .filter((a) => !o.fixedAgencyId || a.id === o.fixedAgencyId)
    .map((a) => ({ value: a.id, label: a.name }));
  const deptOptions = o.dir.departments
    .filter((d) => !o.fixedAgencyId || d.agencyId === o.fixedAgencyId)
    .map((d) => ({
      value: d.id,
      label: `${o.dir.agencies.find((a) => a.id === d.agencyId)?.name ?? ""} · ${d.name}`,
    }));
  return html`${selectField({ name: "role", label: "角色", options: roleOptions(o.roles), value: o.values.role, errors: o.errors, required: true })}
${selectField({ name: "agencyId", label: "机关", options: agencyOptions, value: o.values.agencyId ?? o.fixedAgencyId ?? "", errors: o.errors, emptyLabel: o.fixedAgencyId ? undefined : "（平台角色或区域监督不选）", hint: "机关角色（政务公开办、信息员、审核、审签、经办人）必须选择机关。" } as Parameters<typeof selectField>[0])}
${deptOptions.length ? selectField({ name: "departmentId", label: "股室（仅股室信息员，可不选）", options: deptOptions, value: o.values.departmentId, errors: o.errors, emptyLabel: "（不限股室）" }) : ""}
${o.dir.regions.length && o.roles.includes("supervisor") ? selectField({ name: "regionId", label: "监督区域（仅区域监督）", options: o.dir.regions.map((r) => ({ value: r.id, label: r.name })), value: o.values.regionId, errors: o.errors, emptyLabel: "（不选）" }) : ""}`;
}

export function newUserPage(
  ctx: PageContext,
  o: {
    dir: Directory;
    roles: readonly Role[];
    fixedAgencyId: string | null;
    values?: Record<string, string>;
    errors?: FieldErrors;
    message?: string | undefined;
  },
): SafeHtml {
  const errors = o.errors ?? {};
  const values = o.values ?? {};
  return staff(
    ctx,
    "新建账户",
    html`<h1>新建账户</h1>
${errorSummary(errors, { username: "用户名", displayName: "姓名", role: "角色", agencyId: "机关" }, o.message)}
<form method="post" action="/admin/users" class="stack" novalidate>
${csrfInput(ctx)}
${textField({ name: "username", label: "用户名", value: values.username, errors, required: true, maxlength: 40, autocomplete: "off", hint: "3–40 位小写字母、数字或 . _ -" })}
${textField({ name: "displayName", label: "姓名", value: values.displayName, errors, required: true, maxlength: 50 })}
${grantFields({ dir: o.dir, roles: o.roles, fixedAgencyId: o.fixedAgencyId, values, errors })}
<p class="hint">系统将生成一次性初始密码，用户首次登录后必须修改。</p>
<p><button type="submit">创建</button></p>
</form>`,
    [{ href: "/admin/users", label: "用户与角色" }, { label: "新建账户" }],
  );
}

export function oneTimePasswordPage(
  ctx: PageContext,
  o: { account: Account; password: string; created: boolean },
): SafeHtml {
  return staff(
    ctx,
    o.created ? "账户已创建" : "密码已重置",
    html`<h1>${o.created ? "账户已创建" : "密码已重置"}</h1>
<div class="notice notice-warn" role="status"><p>${o.account.displayName}（${o.account.username}）的一次性初始密码（只显示这一次）：</p>
<p><code>${o.password}</code></p><p>请通过安全渠道告知本人；首次登录后必须修改。</p></div>
<p><a href="/admin/users/${o.account.id}">返回账户详情</a></p>`,
    [{ href: "/admin/users", label: "用户与角色" }, { label: o.account.username }],
  );
}

export function userDetailPage(
  ctx: PageContext,
  o: {
    account: Account;
    dir: Directory;
    roles: readonly Role[];
    fixedAgencyId: string | null;
    isSelf: boolean;
    /** The account's API tokens (revocable here by its manager). */
    tokens?: readonly ApiTokenInfo[] | undefined;
    notice?: string | undefined;
    values?: Record<string, string>;
    errors?: FieldErrors;
    message?: string | undefined;
  },
): SafeHtml {
  const a = o.account;
  const platform = a.grants.some((g) => isPlatformRole(g.role));
  const errors = o.errors ?? {};
  const base = `/admin/users/${a.id}`;
  return staff(
    ctx,
    `账户：${a.username}`,
    html`<h1>账户：${a.username}</h1>
${o.notice ? html`<p class="notice notice-ok" role="status">${o.notice}</p>` : ""}
${errorSummary(errors, { role: "角色", agencyId: "机关" }, o.message)}
<table class="meta-table"><tbody>
<tr><th scope="row">姓名</th><td>${a.displayName}</td></tr>
<tr><th scope="row">所属机关</th><td>${a.homeAgencyId ? (o.dir.agencies.find((x) => x.id === a.homeAgencyId)?.name ?? "—") : "平台/区域"}</td></tr>
<tr><th scope="row">状态</th><td>${a.active ? "正常" : "已停用"}${a.mustChangePassword ? "（待修改密码）" : ""}</td></tr>
<tr><th scope="row">动态验证码</th><td>${a.totpEnabled ? "已启用" : "未启用"}</td></tr>
<tr><th scope="row">创建时间</th><td>${when(a.createdAt)}</td></tr>
<tr><th scope="row">上次登录</th><td>${when(a.lastLoginAt)}</td></tr>
</tbody></table>

<h2>角色</h2>
${o.isSelf ? html`<p class="notice">三员分立：不能修改自己账户的角色。</p>` : ""}
${
  a.grants.length
    ? html`<ul>${a.grants.map(
        (g) =>
          html`<li>${grantLabel(g, o.dir)}${o.isSelf ? "" : html` <form method="post" action="${base}/grants/${g.id}/delete" class="inline">${csrfInput(ctx)}<button type="submit" class="link">撤销</button></form>`}</li>`,
      )}</ul>`
    : html`<p>尚无角色。</p>`
}
${
  o.isSelf
    ? ""
    : html`<h3>添加角色</h3><form method="post" action="${base}/grants" class="stack" novalidate>${csrfInput(ctx)}
${grantFields({ dir: o.dir, roles: o.roles, fixedAgencyId: o.fixedAgencyId, values: o.values ?? {}, errors })}
<p><button type="submit">添加角色</button></p></form>

<h2>账户操作</h2>
<ul class="actions">
<li><form method="post" action="${base}/${a.active ? "disable" : "enable"}" class="inline">${csrfInput(ctx)}<button type="submit"${a.active ? html` class="danger"` : ""}>${a.active ? "停用账户" : "启用账户"}</button></form></li>
${
  platform
    ? html`<li>三员分立：平台管理账户的密码和动态验证码只能由运维人员在服务器上用命令 <code>gongkai user reset-password --username ${a.username}</code> 重置（记入审计日志）。</li>`
    : html`<li><form method="post" action="${base}/reset-password" class="inline">${csrfInput(ctx)}<button type="submit">重置密码</button></form>（同时撤销其全部 API 令牌）</li>
${a.totpEnabled ? html`<li><form method="post" action="${base}/reset-totp" class="inline">${csrfInput(ctx)}<button type="submit">关闭其动态验证码（手机丢失时）</button></form></li>` : ""}`
}
</ul>`
}
${userTokens(ctx, base, o.tokens ?? [], o.isSelf)}`,
    [{ href: "/admin/users", label: "用户与角色" }, { label: a.username }],
  );
}

/** The account's API tokens on its management page; live ones can be revoked (not one's own: "我的账户"). */
function userTokens(
  ctx: PageContext,
  base: string,
  tokens: readonly ApiTokenInfo[],
  isSelf: boolean,
): SafeHtml {
  return html`<h2 id="tokens">API 令牌</h2>
${
  tokens.length === 0
    ? html`<p>该账户没有 API 令牌。</p>`
    : html`<table><thead><tr><th scope="col">名称</th><th scope="col">前缀</th><th scope="col">权限</th><th scope="col">创建</th><th scope="col">最近使用</th><th scope="col">到期</th><th scope="col">状态</th></tr></thead><tbody>
${tokens.map(
  (t) =>
    html`<tr><td>${t.name}</td><td><code>${t.prefix}…</code></td><td>${t.scopes.join("、")}</td><td>${when(t.createdAt)}</td><td>${when(t.lastUsedAt)}</td><td>${when(t.expiresAt)}</td><td>${
      t.revokedAt
        ? `已撤销（${when(t.revokedAt)}）`
        : isSelf
          ? "未撤销"
          : html`<form method="post" action="${base}/tokens/${t.id}/revoke" class="inline">${csrfInput(ctx)}<button type="submit" class="danger">撤销</button></form>`
    }</td></tr>`,
)}
</tbody></table>`
}`;
}

/** Console home, security administrator: accounts locked by many failed sign-ins from many addresses. */
export function lockedAccountsNotice(
  locked: readonly { username: string; failures: number; lockedUntil: Date }[],
): SafeHtml {
  if (locked.length === 0) return html``;
  return html`<section class="notice notice-warn" role="alert" aria-labelledby="locked-accounts"><h2 id="locked-accounts">账户锁定提醒</h2>
<p>以下账户在24小时内从多个地址登录失败次数过多，已被暂时锁定（疑似分布式口令猜测）。请核实，必要时联系本人修改密码；详情见审计日志（auth.account_locked）。</p>
<ul>${locked.map((l) => html`<li><code>${l.username}</code>：失败 ${l.failures} 次，锁定至 ${when(l.lockedUntil)}</li>`)}</ul></section>`;
}
