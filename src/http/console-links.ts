/**
 * @module The staff console's navigation: one list of links, each guarded by a policy action. Features add their
 * pages with `registerConsoleLink({ href, label, action })` when their routes are registered (or append to
 * CONSOLE_LINKS below). The console home and the navigation bar show a user only the links `can()` allows.
 */
import { type Action, can, type StaffUser } from "../accounts/policy.ts";

export interface ConsoleLink {
  href: string;
  label: string;
  /** Shown only to users who may perform this action (in any scope). */
  action: Action;
  /** One sentence for the console home page. */
  description?: string;
  /** Sort key (lower first); default 100. */
  order?: number;
}

/** Built-in links. Other features may append here or call registerConsoleLink. */
export const CONSOLE_LINKS: ConsoleLink[] = [
  { href: "/admin", label: "工作台", action: "console.use", order: 0, description: "工作台首页。" },
  {
    href: "/admin/users",
    label: "用户与角色",
    action: "user.manage",
    order: 900,
    description: "创建账户、分配角色、停用账户、重置密码。",
  },
  {
    href: "/admin/audit",
    label: "审计日志",
    action: "audit.read",
    order: 950,
    description: "查询、导出审计日志，校验日志完整性。",
  },
  {
    href: "/admin/account",
    label: "我的账户",
    action: "console.use",
    order: 1000,
    description: "修改密码、设置动态验证码、管理 API 令牌。",
  },
];

/** Adds a link (idempotent by href, so building the app twice in one process does not duplicate it). */
export function registerConsoleLink(link: ConsoleLink): void {
  const existing = CONSOLE_LINKS.findIndex((l) => l.href === link.href);
  if (existing >= 0) CONSOLE_LINKS[existing] = link;
  else CONSOLE_LINKS.push(link);
}

/** The links this user may see, in order. */
export function consoleLinksFor(user: StaffUser): ConsoleLink[] {
  return CONSOLE_LINKS.filter((l) => can(user, l.action)).sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
