/**
 * @module The 政府信息公开指南: public page (/agencies/:slug/guide) and the agency's edit page
 * (/admin/agencies/:agency/guide, action "agency.manage"; the old /admin/guide redirects).
 */
import type { FastifyInstance } from "fastify";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import {
  EMPTY_PROFILE,
  type GuideProfile,
  getGuideProfile,
  guideStamp,
  normalizeChannels,
  updateGuideProfile,
} from "../guide/index.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { cachedAgencyPage } from "../http/cached-agency-page.ts";
import { pageContext } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { legacyAgency, legacyRedirect, type StaffContext, staffRoute } from "../http/staff-route.ts";
import { buildGuide } from "./guide.rules.ts";
import { guideAdminPage, guidePage } from "./guide.views.ts";
import { guideInput } from "./portal.service.ts";

export function guideRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/guide",
    entry: "/admin/guide",
    label: "公开指南",
    action: "agency.manage",
    order: 150,
    description: "编辑本机关政府信息公开指南中的工作机构、联系方式、申请渠道等内容。",
  });

  cachedAgencyPage(app, deps, "/agencies/:slug/guide", async ({ ctx, agency, db }) => {
    const input = await guideInput({ db }, agency);
    return guidePage(ctx, agency, buildGuide(input), input.updatedAt);
  });

  const guideAdminUrl = (c: StaffContext<undefined, unknown>) => staffAgencyPath(c.agency.slug, "/guide");

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/guide",
    policy: "agency.manage",
    handle: async (c) => {
      const profile = await getGuideProfile(deps.db, c.agency.id);
      const guide = buildGuide(await guideInput(deps, c.agency));
      return guideAdminPage(pageContext(c.request), {
        agency: c.agency,
        agencies: await c.agencies(),
        profile,
        errors: [],
        saved: c.query.saved === "1",
        missing: guide.missing,
        stamp: guideStamp(profile),
      });
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/guide",
    policy: "agency.manage",
    handle: (c) => {
      const body = (c.body ?? {}) as Record<string, unknown>;
      const stamp = bodyString(body, "stamp", 64);
      return updateGuideProfile(deps, c.agency.id, body, actorOf(c.request), stamp ? { stamp } : {});
    },
    redirect: (c) => `${guideAdminUrl(c)}?saved=1`,
    form: async (c, failure) => {
      const body = (c.body ?? {}) as Record<string, unknown>;
      const entered: GuideProfile = { ...EMPTY_PROFILE };
      for (const key of Object.keys(EMPTY_PROFILE) as (keyof GuideProfile)[]) {
        const v = body[key];
        if (key === "channels")
          entered.channels = normalizeChannels((Array.isArray(v) ? v : [v]).map(String));
        else if (typeof v === "string") entered[key] = v;
      }
      return guideAdminPage(pageContext(c.request), {
        agency: c.agency,
        agencies: await c.agencies(),
        profile: entered,
        errors: failure.errors,
        message: failure.message,
        saved: false,
        missing: [],
        // After a conflict, the current data's stamp: saving again is a deliberate overwrite.
        stamp: guideStamp(await getGuideProfile(deps.db, c.agency.id)),
      });
    },
    // Someone else saved the guide after this form was opened: the form comes back with what was typed.
    formErrors: ["guide_conflict"],
  });

  for (const method of ["GET", "POST"] as const)
    legacyRedirect(app, {
      method,
      url: "/admin/guide",
      policy: "agency.manage",
      to: async (request, reply) =>
        staffAgencyPath((await legacyAgency(deps, request, reply, "agency.manage")).slug, "/guide"),
    });
}
