/**
 * @module The staff console's navigation: one list of links, each guarded by a policy action. Features add their
 * pages with `deps.consoleLinks.add({ href, label, action })` when their routes are registered. The console home and the navigation bar show a user only the links `can()` allows.
 */
import { type Action, can, type StaffUser } from "../accounts/policy.ts";
import { html, type SafeHtml } from "../shared/html.ts";

export interface ConsoleLink {
  /** May name the agency as `:agency` (`/admin/agencies/:agency/records`), filled in with the user's agency. */
  href: string;
  /** For `:agency` links when no agency is known (platform and regional accounts): a URL that picks one. */
  entry?: string;
  label: string;
  /** Shown only to users who may perform this action (in any scope). */
  action: Action;
  /** One sentence for the console home page. */
  description?: string;
  /** Sort key (lower first); default 100. */
  order?: number;
}

/** Built-in links (the console home, users, audit, my account); features add theirs when their routes register. */
const BUILT_IN: readonly ConsoleLink[] = [
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
    href: "/admin/notifications",
    label: "通知",
    action: "console.use",
    order: 990,
    description: "新的待办和退回通知；设置是否发送邮件。",
  },
  {
    href: "/admin/account",
    label: "我的账户",
    action: "console.use",
    order: 1000,
    description: "修改密码、设置动态验证码、管理 API 令牌。",
  },
];

/**
 * A notice a feature contributes to the console home (e.g. annual-report reminders), rendered for one user on one
 * day; returns empty html when it has nothing to say to this user.
 */
export type HomeNotice = (user: StaffUser, today: string) => Promise<SafeHtml>;

/** One entry of a to-do section: what waits, where to act, and its deadline when it has one. */
export interface WorkItem {
  title: string;
  href: string;
  /** A short note (e.g. the agency, the step, the reason it was sent back). */
  note?: string | undefined;
  /** YYYY-MM-DD deadline, when the work has one. */
  due?: string | null | undefined;
  overdue?: boolean | undefined;
}

/** A to-do section of the 工作台 (e.g. 待我审核): the total and the first items, most urgent first. */
export interface WorkSection {
  key: string;
  label: string;
  count: number;
  items: WorkItem[];
  /** The full list (e.g. the records list filtered by 环节). */
  moreHref?: string | undefined;
  /** What to do, one sentence. */
  hint?: string | undefined;
  /** Waits on someone else (e.g. my submissions awaiting review): listed, not counted as my to-do. */
  waiting?: boolean | undefined;
}

/** To-do counts of one user for the navigation: the 工作台 total and per-link counts. */
export interface NavCounts {
  total: number;
  byHref: Map<string, number>;
}

/** Navigation counts are reused for this long per user (a page view must not recompute the whole to-do list). */
export const NAV_COUNT_TTL_MS = 60_000;

/** A feature's contribution to a person's to-do list; returns [] when the user has nothing of its kind. */
export type WorkQueue = (user: StaffUser, today: string) => Promise<WorkSection[]>;

/**
 * The console's links and home-page notices of one app (`deps.consoleLinks`): no process-wide list, so two apps
 * never share one. Features contribute in registerFeatures / their route registration; the console home (accounts)
 * shows them without importing the features.
 */
export class ConsoleLinks {
  readonly #links: ConsoleLink[] = [...BUILT_IN];
  readonly #notices: { name: string; render: HomeNotice }[] = [];
  readonly #queues: { name: string; list: WorkQueue }[] = [];
  readonly #counts = new Map<string, { at: number; sections: { key: string; count: number }[] }>();
  readonly #countKeys = new Map<string, readonly string[]>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Adds a to-do contribution for the 工作台 (idempotent by name). */
  addWorkQueue(name: string, list: WorkQueue): void {
    const existing = this.#queues.findIndex((q) => q.name === name);
    if (existing >= 0) this.#queues[existing] = { name, list };
    else this.#queues.push({ name, list });
  }

  /** This user's to-do sections from every feature, empty sections left out (refreshes the navigation counts). */
  async work(user: StaffUser, today: string): Promise<WorkSection[]> {
    const parts = await Promise.all(this.#queues.map((q) => q.list(user, today)));
    const sections = parts.flat().filter((s) => s.count > 0);
    this.#remember(
      user.id,
      sections.filter((x) => !x.waiting).map((x) => ({ key: x.key, count: x.count })),
    );
    return sections;
  }

  #remember(userId: string, sections: { key: string; count: number }[]): void {
    const now = this.#now();
    if (this.#counts.size > 5000) {
      for (const [id, c] of this.#counts) if (now - c.at > NAV_COUNT_TTL_MS) this.#counts.delete(id);
    }
    this.#counts.set(userId, { at: now, sections });
  }

  /**
   * The navigation's counts for this user: the to-do list computed at most once per NAV_COUNT_TTL_MS (or since
   * forgetCounts), per process. Counts are keyed by the links' registered href (with `:agency`).
   */
  async navCounts(user: StaffUser, today: string): Promise<NavCounts> {
    let cached = this.#counts.get(user.id);
    if (!cached || this.#now() - cached.at > NAV_COUNT_TTL_MS) {
      await this.work(user, today);
      cached = this.#counts.get(user.id);
    }
    const sections = cached?.sections ?? [];
    const byHref = new Map<string, number>();
    for (const [href, keys] of this.#countKeys) {
      byHref.set(
        href,
        sections.filter((x) => keys.some((k) => x.key.startsWith(k))).reduce((n, x) => n + x.count, 0),
      );
    }
    return { total: sections.reduce((n, x) => n + x.count, 0), byHref };
  }

  /**
   * The navigation shows beside the link `href` (as registered, e.g. with `:agency`) how many to-do items have a
   * section key starting with one of `keyPrefixes` (e.g. "records.").
   */
  countOn(href: string, keyPrefixes: readonly string[]): void {
    this.#countKeys.set(href, keyPrefixes);
  }

  /** Drops every cached count (work was handed on: someone's to-do list changed). */
  forgetCounts(): void {
    this.#counts.clear();
  }

  /** Adds a console-home notice (idempotent by name). */
  addHomeNotice(name: string, render: HomeNotice): void {
    const existing = this.#notices.findIndex((n) => n.name === name);
    if (existing >= 0) this.#notices[existing] = { name, render };
    else this.#notices.push({ name, render });
  }

  /** Every contributed notice for this user, in registration order. */
  async homeNotices(user: StaffUser, today: string): Promise<SafeHtml> {
    const parts = await Promise.all(this.#notices.map((n) => n.render(user, today)));
    return html`${parts}`;
  }

  /** Adds a link (idempotent by href: a second registration replaces the first). */
  add(link: ConsoleLink): void {
    const existing = this.#links.findIndex((l) => l.href === link.href);
    if (existing >= 0) this.#links[existing] = link;
    else this.#links.push(link);
  }

  /** Every link, in order (for tests and diagnostics). */
  all(): ConsoleLink[] {
    return [...this.#links].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  }

  /**
   * The links this user may see, in order; `:agency` is filled in with `agencySlug` (the agency of the current
   * page, or the user's own), else the link's `entry` URL is used; a link with neither is left out (its literal
   * `/admin/agencies/:agency/…` would be a dead link).
   */
  for(user: StaffUser, agencySlug?: string): (ConsoleLink & { key: string })[] {
    return this.all()
      .filter((l) => can(user, l.action))
      .filter((l) => agencySlug || l.entry || !l.href.includes(":agency"))
      .map((l) =>
        l.href.includes(":agency")
          ? {
              ...l,
              key: l.href,
              href: agencySlug
                ? l.href.replace(":agency", encodeURIComponent(agencySlug))
                : (l.entry ?? l.href),
            }
          : { ...l, key: l.href },
      );
  }
}
