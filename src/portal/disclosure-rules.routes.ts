/**
 * @module 公开制度: the public column (/agencies/:slug/rules, cached) and its console page
 * (/admin/agencies/:agency/disclosure-rules, `agency.manage`).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { validationError } from "../errors.ts";
import { cachedAgencyPage } from "../http/cached-agency-page.ts";
import { pageContext } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { type FormFailure, type StaffContext, staffRoute } from "../http/staff-route.ts";
import { addDisclosureRule, disclosureRules, removeDisclosureRule } from "./disclosure-rules.service.ts";
import { publicRulesPage, rulesAdminPage } from "./disclosure-rules.views.ts";

const FIELDS = ["title", "docNumber", "issuedOn", "body"] as const;

export function disclosureRulesRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/disclosure-rules",
    label: "公开制度",
    action: "agency.manage",
    order: 153,
    description: "发布本机关政府信息公开工作制度，在门户“公开制度”栏目全文公开。",
  });

  cachedAgencyPage(app, deps, "/agencies/:slug/rules", async ({ ctx, agency, db }) =>
    publicRulesPage(ctx, agency, await disclosureRules(db, agency.id)),
  );

  const base = (c: StaffContext<unknown, unknown>) =>
    `/admin/agencies/${encodeURIComponent(c.agency.slug)}/disclosure-rules`;
  const render = async (c: StaffContext<unknown, unknown>, failure?: FormFailure) =>
    rulesAdminPage(pageContext(c.request), {
      agency: c.agency,
      rules: await disclosureRules(deps.db, c.agency.id),
      errors: failure?.errors ?? [],
      message: failure?.message,
      done: typeof c.query.done === "string" ? c.query.done : undefined,
      values: failure ? Object.fromEntries(FIELDS.map((f) => [f, bodyString(c.body, f, 60000)])) : {},
    });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/disclosure-rules",
    policy: "agency.manage",
    handle: (c) => render(c),
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/disclosure-rules",
    policy: "agency.manage",
    handle: (c) =>
      addDisclosureRule(deps, c.actor, c.agency.id, {
        title: bodyString(c.body, "title", 1000),
        docNumber: bodyString(c.body, "docNumber", 1000),
        issuedOn: bodyString(c.body, "issuedOn", 20),
        body: bodyString(c.body, "body", 60000),
      }),
    redirect: (c) => `${base(c)}?done=added`,
    form: render,
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/disclosure-rules/delete",
    policy: "agency.manage",
    input: (body) => {
      const id = bodyString(body, "id", 100);
      if (id === "") throw validationError([{ field: "id", message: "请选择要删除的制度" }]);
      return id;
    },
    handle: (c) => removeDisclosureRule(deps, c.actor, c.agency.id, c.input),
    redirect: (c) => `${base(c)}?done=deleted`,
    form: render,
  });
}
