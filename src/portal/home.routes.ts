/**
 * @module Public routes of the platform shell: home page, display preferences, accessibility statement.
 */
import type { FastifyInstance } from "fastify";
import { regionTree } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { DISPLAY_COOKIE, pageContext, safeLocalPath, sendHtml } from "../http/context.ts";
import { page, parseDisplayCookie, serializeDisplay } from "../http/layout.ts";
import { sendPublic } from "../http/public-read.ts";
import { html } from "../shared/html.ts";
import { homePage } from "./home.views.ts";
import { portalContext } from "./portal-context.ts";

export function homeRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/", { config: { policy: "public" } }, async (request, reply) => {
    // The cached page holds its canonical URL, not the visitor's query string (`/?x=…`).
    const base = portalContext(request);
    const ctx = base.staffName ? base : { ...base, path: "/" };
    return sendPublic(
      deps,
      request,
      reply,
      { contentType: "text/html; charset=utf-8", display: ctx.display },
      async (db) => {
        const tree = await regionTree(db);
        return { body: homePage(ctx, tree).value, agencyId: null };
      },
    );
  });

  // Large text / high contrast: a cookie, so it persists and works without JavaScript (适老化).
  app.get<{ Querystring: { mode?: string; back?: string } }>(
    "/settings/display",
    { config: { policy: "public" } },
    async (request, reply) => {
      const prefs = parseDisplayCookie(String(request.query.mode ?? "").slice(0, 40));
      const value = serializeDisplay(prefs);
      reply.setCookie(DISPLAY_COOKIE, value, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: deps.config.cookieSecure,
        maxAge: value ? 365 * 24 * 3600 : 0,
      });
      return reply.redirect(safeLocalPath(request.query.back), 303);
    },
  );

  app.get("/accessibility", { config: { policy: "public" } }, async (request, reply) =>
    sendHtml(
      reply,
      page(pageContext(request), {
        title: "无障碍说明",
        body: html`<h1>无障碍说明</h1>
<p>本平台按照 GB/T 37668《信息技术 互联网内容无障碍可访问性技术要求与测试方法》和 WCAG 2.1 AA 级要求建设，并落实互联网应用适老化要求：</p>
<ul>
<li>所有页面在关闭 JavaScript 时均可使用；</li>
<li>页面顶部提供“大字模式”和“高对比度”切换，设置会被记住；</li>
<li>支持键盘操作，提供“跳到主要内容”链接和清晰的焦点样式；</li>
<li>页面在 360 像素宽的手机屏幕上正常显示，信息页面可直接打印。</li>
</ul>
<p>如遇到无法访问的内容，请联系相应机关的政府信息公开工作机构。</p>`,
      }),
    ),
  );
}
