/**
 * @module The zh-CN base layout shared by the public portal and the staff console.
 * Accessibility: skip link, landmarks, one h1 per page, visible focus, a persistent large-text / high-contrast
 * mode (cookie, works without JavaScript). No inline script or style (strict CSP).
 */
import { type HtmlValue, html, type SafeHtml } from "../shared/html.ts";

export interface DisplayPrefs {
  largeText: boolean;
  highContrast: boolean;
}

/** What every page needs to know about the request. */
export interface PageContext {
  path: string;
  display: DisplayPrefs;
  /** Signed-in staff user's display name, when any. */
  staffName?: string | undefined;
  /** CSRF token for forms on this page (staff pages and public forms). */
  csrfToken?: string | undefined;
  /** Staff navigation entries, when signed in. */
  staffNav?: { href: string; label: string }[] | undefined;
  /** To-do and unread counts shown beside the navigation links, by link label. */
  staffNavCounts?: Record<string, number> | undefined;
}

export interface Crumb {
  href?: string;
  label: string;
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  breadcrumbs?: Crumb[];
  /** "portal" (public) or "staff" (console). */
  area?: "portal" | "staff";
  description?: string;
  /** Extra <head> elements (feeds, canonical). */
  head?: SafeHtml;
}

export function parseDisplayCookie(value: string | undefined): DisplayPrefs {
  const parts = new Set((value ?? "").split(","));
  return { largeText: parts.has("large"), highContrast: parts.has("contrast") };
}

export function serializeDisplay(prefs: DisplayPrefs): string {
  return [prefs.largeText ? "large" : "", prefs.highContrast ? "contrast" : ""].filter(Boolean).join(",");
}

function displayLink(ctx: PageContext, key: "largeText" | "highContrast", on: string, off: string): SafeHtml {
  const next = { ...ctx.display, [key]: !ctx.display[key] };
  const href = `/settings/display?mode=${encodeURIComponent(serializeDisplay(next) || "normal")}&back=${encodeURIComponent(ctx.path)}`;
  // A link (it works without JavaScript), so no aria-pressed: the label names the mode it switches to, and a hidden
  // note tells screen-reader users which mode is on.
  return html`<a href="${href}">${ctx.display[key] ? html`${off}<span class="visually-hidden">（当前为${on}）</span>` : on}</a>`;
}

export function breadcrumbNav(crumbs: Crumb[]): SafeHtml {
  if (crumbs.length === 0) return html``;
  return html`<nav class="breadcrumbs" aria-label="当前位置"><ol>${crumbs.map((c, i) =>
    c.href && i < crumbs.length - 1
      ? html`<li><a href="${c.href}">${c.label}</a></li>`
      : html`<li><span aria-current="page">${c.label}</span></li>`,
  )}</ol></nav>`;
}

function navCount(n: number | undefined): HtmlValue {
  return n ? html` <span class="nav-count">${String(n)}<span class="visually-hidden">项</span></span>` : "";
}

export function page(ctx: PageContext, options: PageOptions): SafeHtml {
  const classes = [
    ctx.display.largeText ? "large-text" : "",
    ctx.display.highContrast ? "high-contrast" : "",
    options.area === "staff" ? "area-staff" : "area-portal",
  ]
    .filter(Boolean)
    .join(" ");
  const staffNav: HtmlValue = ctx.staffNav?.length
    ? html`<nav class="staff-nav" aria-label="工作台导航"><ul>${ctx.staffNav.map(
        (n) =>
          html`<li><a href="${n.href}"${ctx.path.startsWith(n.href) ? html` aria-current="page"` : ""}>${n.label}${navCount(ctx.staffNavCounts?.[n.label])}</a></li>`,
      )}</ul></nav>`
    : "";
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} - 公开 Gongkai</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ""}
<link rel="stylesheet" href="/static/site.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${options.head ?? ""}
</head>
<body class="${classes}">
<a class="skip-link" href="#main">跳到主要内容</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="${options.area === "staff" ? "/admin" : "/"}">公开 <span lang="en">Gongkai</span><small>${options.area === "staff" ? "政务公开工作台" : "政府信息公开平台"}</small></a>
    <nav class="tools" aria-label="辅助功能与账户">
      <ul>
        <li>${displayLink(ctx, "largeText", "大字模式", "标准字号")}</li>
        <li>${displayLink(ctx, "highContrast", "高对比度", "标准配色")}</li>
        ${options.area !== "staff" ? html`<li><a href="/search">搜索</a></li>` : ""}
        ${ctx.staffName ? html`<li><a href="/admin/account">${ctx.staffName}</a></li><li><form method="post" action="/admin/logout" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}"><button type="submit" class="link">退出</button></form></li>` : html`<li><a href="/admin/login">工作人员登录</a></li>`}
      </ul>
    </nav>
  </div>
  ${staffNav}
</header>
<main id="main" class="wrap" tabindex="-1">
${breadcrumbNav(options.breadcrumbs ?? [])}
${options.body}
</main>
<footer class="site-footer"><div class="wrap">
  <p>本平台依据《中华人民共和国政府信息公开条例》（国务院令第711号）建设。</p>
  <p><a href="/accessibility">无障碍说明</a> · <a href="/sitemap.xml">网站地图</a> · <a href="/api/v1/openapi.json">开放数据接口</a></p>
</div></footer>
</body>
</html>`;
}

/** A small, accessible error page (Chinese). */
export function errorPage(ctx: PageContext, status: number, code: string, message: string): SafeHtml {
  const title =
    status === 404 ? "页面不存在" : status === 403 ? "无权访问" : status >= 500 ? "系统繁忙" : "请求有误";
  return page(ctx, {
    title,
    body: html`<h1>${title}</h1>
<p class="notice notice-error" role="alert">${message}</p>
<p>错误代码：<code>${code}</code></p>
<p><a href="/">返回首页</a></p>`,
  });
}
