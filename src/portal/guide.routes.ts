/**
 * @module The 政府信息公开指南: public page (/agencies/:slug/guide) and the agency's edit page (/admin/guide,
 * action "agency.manage").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { agencyScope } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { type PageCache, sendCached } from "../http/page-cache.ts";
import { buildGuide, EMPTY_PROFILE, type GuideProfile, normalizeChannels } from "./guide.rules.ts";
import { getGuideProfile, updateGuideProfile } from "./guide.service.ts";
import { guideAdminPage, guidePage } from "./guide.views.ts";
import { guideInput, listAllAgencies } from "./portal.service.ts";
import { portalContext } from "./portal-context.ts";

export function guideRoutes(app: FastifyInstance, deps: Deps, cache: PageCache): void {
  deps.consoleLinks.add({
    href: "/admin/guide",
    label: "公开指南",
    action: "agency.manage",
    order: 150,
    description: "编辑本机关政府信息公开指南中的工作机构、联系方式、申请渠道等内容。",
  });

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/guide",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(
        cache,
        request,
        reply,
        { contentType: "text/html; charset=utf-8", display: ctx.display },
        async () => {
          const agency = await getAgencyBySlug(deps.db, request.params.slug);
          const input = await guideInput(deps, agency);
          const guide = buildGuide(input);
          return { body: guidePage(ctx, agency, guide, input.updatedAt).value, agencyId: agency.id };
        },
      );
    },
  );

  async function pickAgency(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ agency: Agency; agencies: Agency[] }> {
    const user = authorize(request, reply, "agency.manage");
    const all = await listAllAgencies(deps.db);
    const scope = agencyScope(user, "agency.manage");
    const agencies = scope.all ? all : all.filter((a) => scope.agencyIds.includes(a.id));
    const slug = (request.query as { agency?: unknown }).agency;
    let agency: Agency | undefined;
    if (typeof slug === "string" && slug) agency = await getAgencyBySlug(deps.db, slug);
    else agency = agencies.find((a) => a.id === user.agencyId) ?? agencies[0];
    if (!agency) throw new AppError("agency_not_found");
    authorize(request, reply, "agency.manage", { agencyId: agency.id });
    return { agency, agencies };
  }

  app.get("/admin/guide", { config: { policy: "agency.manage" } }, async (request, reply) => {
    const { agency, agencies } = await pickAgency(request, reply);
    const profile = await getGuideProfile(deps.db, agency.id);
    const guide = buildGuide(await guideInput(deps, agency));
    const saved = (request.query as { saved?: unknown }).saved === "1";
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      guideAdminPage(pageContext(request), {
        agency,
        agencies,
        profile,
        errors: [],
        saved,
        missing: guide.missing,
      }),
    );
  });

  app.post("/admin/guide", { config: { policy: "agency.manage" } }, async (request, reply) => {
    const { agency, agencies } = await pickAgency(request, reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await updateGuideProfile(deps, agency.id, body, actorOf(request));
    } catch (err) {
      if (!isAppError(err) || err.code !== "validation_failed") throw err;
      const entered: GuideProfile = { ...EMPTY_PROFILE };
      for (const key of Object.keys(EMPTY_PROFILE) as (keyof GuideProfile)[]) {
        const v = body[key];
        if (key === "channels")
          entered.channels = normalizeChannels((Array.isArray(v) ? v : [v]).map(String));
        else if (typeof v === "string") entered[key] = v;
      }
      return sendHtml(
        reply,
        guideAdminPage(pageContext(request), {
          agency,
          agencies,
          profile: entered,
          errors: err.fields,
          saved: false,
          missing: [],
        }),
        400,
      );
    }
    return reply.redirect(`/admin/guide?agency=${encodeURIComponent(agency.slug)}&saved=1`, 303);
  });
}
