/**
 * @module Staff pages of an agency's catalog versions on `staffRoute` (/admin/agencies/:agency/catalog…): the
 * overview (the draft, else the published version), one version, opening and discarding a draft, the draft's header,
 * the differences between versions (/catalog/diff), publishing with reasons (审签), the statutory check and exports.
 * Items are edited in catalog-items.routes.ts, files imported in catalog-import.routes.ts; the old /admin/catalog/:slug…
 * URLs redirect (catalog-legacy.routes.ts).
 */
import type { FastifyInstance } from "fastify";
import { can } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { pageContext } from "../http/context.ts";
import { bodyString, toFieldErrors } from "../http/forms.ts";
import { type FormFailure, type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import {
  catalogPath,
  comparePage,
  type HeaderFormValues,
  lintPage,
  type OverviewData,
  overviewPage,
  publishPage,
} from "./catalog.views.ts";
import { exportCatalog } from "./catalog-export.service.ts";
import { isExportFormat } from "./catalog-export.ts";
import { lintCatalogVersion } from "./catalog-lint.service.ts";
import {
  getCatalogVersion,
  getDraftCatalog,
  getPublishedCatalog,
  listCatalogVersions,
} from "./catalog-tree.service.ts";
import {
  diffVersions,
  discardDraft,
  openDraft,
  publishVersion,
  updateDraftHeader,
  versionStamp,
} from "./catalog-versions.service.ts";

type Ctx = StaffContext<undefined, unknown>;

const NOTICES: Record<string, string> = {
  draft: "已新建草稿。",
  published: "目录已发布。",
  imported: "已导入为新的草稿版本，请检查后提交审签发布。",
  header: "已保存表头。",
  discarded: "已放弃草稿。",
  deleted: "已删除事项。",
};

export function agencyResource(agency: Agency) {
  return { agencyId: agency.id, regionId: agency.regionId };
}

/**
 * Shows a refused form again (400/403/409 with what was typed). Only to someone who may read the catalog, and only
 * when the page can still be shown; otherwise the original refusal stands (a 403 never turns into a 404 or 409).
 */
export async function showAgain(
  c: Ctx,
  failure: FormFailure,
  render: () => Promise<SafeHtml>,
): Promise<SafeHtml> {
  const refusal = () =>
    new AppError(failure.code, failure.code === "forbidden" ? undefined : failure.message, {
      fields: failure.errors,
    });
  if (!can(c.user, "catalog.read", agencyResource(c.agency))) throw refusal();
  try {
    return await render();
  } catch (e) {
    if (isAppError(e)) throw refusal();
    throw e;
  }
}

/** The sentence above a re-rendered form, unless the field errors say it all (validation). */
export function summaryOf(failure: FormFailure): string | undefined {
  return failure.code === "validation_failed" && failure.errors.length > 0 ? undefined : failure.message;
}

function query(c: Ctx, name: string): string {
  const v = c.query[name];
  return typeof v === "string" ? v.slice(0, 100) : "";
}

function headerValues(body: unknown): HeaderFormValues {
  return {
    title: bodyString(body, "title", 200),
    compiledBy: bodyString(body, "compiledBy", 200),
    reviewedBy: bodyString(body, "reviewedBy", 200),
    signedBy: bodyString(body, "signedBy", 200),
    compiledAt: bodyString(body, "compiledAt", 50),
  };
}

function reasonsFrom(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== "object") return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>))
    if (k.startsWith("reason:") && typeof v === "string") out[k.slice("reason:".length)] = v.slice(0, 2000);
  return out;
}

export function contentDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function catalogVersionRoutes(app: FastifyInstance, deps: Deps): void {
  async function overview(
    c: Ctx,
    versionId: string | undefined,
    headerForm?: OverviewData["headerForm"],
  ): Promise<SafeHtml> {
    const { agency, user } = c;
    const versions = await listCatalogVersions(deps.db, agency.id);
    const tree = versionId
      ? await getCatalogVersion(deps.db, agency.id, versionId)
      : ((await getDraftCatalog(deps.db, agency.id)) ?? (await getPublishedCatalog(deps.db, agency.id)));
    return overviewPage(pageContext(c.request), {
      agency,
      tree,
      versions,
      draft: versions.find((v) => v.status === "draft") ?? null,
      published: versions.find((v) => v.status === "published") ?? null,
      canEdit: can(user, "catalog.edit", agencyResource(agency)),
      canPublish: can(user, "catalog.publish", agencyResource(agency)),
      notice: headerForm ? undefined : NOTICES[query(c, "done")],
      headerForm,
    });
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog",
    policy: "catalog.read",
    handle: (c) => overview(c, undefined),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/versions/:versionId",
    policy: "catalog.read",
    handle: (c) => overview(c, c.params.versionId),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/draft",
    policy: "catalog.edit",
    handle: async (c) => {
      const v = await openDraft(deps, { agencyId: c.agency.id, actor: c.actor, now: deps.clock.now() });
      return { redirect: catalogPath(c.agency.slug, `/versions/${v.id}?done=draft`) };
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/versions/:versionId/discard",
    policy: "catalog.edit",
    handle: async (c) => {
      await discardDraft(deps, {
        agencyId: c.agency.id,
        versionId: c.params.versionId ?? "",
        actor: c.actor,
      });
      return { redirect: catalogPath(c.agency.slug, "?done=discarded") };
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/versions/:versionId/header",
    policy: "catalog.edit",
    input: (body) => headerValues(body),
    handle: async (c) => {
      const { title, ...header } = c.input;
      await updateDraftHeader(deps, {
        agencyId: c.agency.id,
        versionId: c.params.versionId ?? "",
        title,
        header,
        today: deps.clock.today(),
        actor: c.actor,
      });
      return { redirect: catalogPath(c.agency.slug, `/versions/${c.params.versionId}?done=header`) };
    },
    form: (c, failure) =>
      showAgain(c, failure, () =>
        overview(c, c.params.versionId, {
          values: headerValues(c.body),
          errors: toFieldErrors(failure.errors),
          message: summaryOf(failure),
        }),
      ),
  });

  // Differences between two versions (default: the draft, or the newest version, against the published one).
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/diff",
    policy: "catalog.read",
    handle: async (c) => {
      const versions = await listCatalogVersions(deps.db, c.agency.id);
      const to = query(c, "to") || versions.find((v) => v.status === "draft")?.id || versions[0]?.id;
      if (!to) throw new AppError("catalog_not_found");
      const result = await diffVersions(deps.db, c.agency.id, query(c, "from") || null, to);
      return comparePage(pageContext(c.request), c.agency, { ...result, versions });
    },
  });

  async function publishForm(
    c: Ctx,
    reasons: Record<string, string>,
    failure?: FormFailure,
  ): Promise<SafeHtml> {
    const { agency } = c;
    const versionId = c.params.versionId ?? "";
    const result = await diffVersions(deps.db, agency.id, null, versionId);
    if (result.to.status !== "draft") throw new AppError("catalog_version_not_draft");
    const { findings } = await lintCatalogVersion(deps.db, {
      agencyId: agency.id,
      agencyName: agency.name,
      agencyShortName: agency.shortName,
      versionId,
    });
    const errors: Record<string, string> = {};
    if (failure?.code === "catalog_reason_required")
      for (const change of result.diff.needsReason)
        if (!(reasons[change.stableKey] ?? "").trim())
          errors[`reason:${change.stableKey}`] = "请说明删除或弱化的理由";
    return publishPage(pageContext(c.request), agency, {
      version: result.to,
      published: result.from,
      diff: result.diff,
      reasons: { ...result.to.changeReasons, ...reasons },
      errors,
      message: failure?.message,
      findings,
      stamp: await versionStamp(deps.db, agency.id, versionId),
    });
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/versions/:versionId/publish",
    policy: "catalog.publish",
    handle: (c) => publishForm(c, {}),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/versions/:versionId/publish",
    policy: "catalog.publish",
    input: (body) => reasonsFrom(body),
    handle: async (c) => {
      await publishVersion(deps, {
        agencyId: c.agency.id,
        versionId: c.params.versionId ?? "",
        actor: c.actor,
        now: deps.clock.now(),
        reasons: c.input,
        ...(bodyString(c.body, "stamp", 64) ? { stamp: bodyString(c.body, "stamp", 64) } : {}),
      });
      return { redirect: catalogPath(c.agency.slug, "?done=published") };
    },
    // The draft changed since the page was opened: it comes back with the current differences (reasons kept).
    formErrors: ["catalog_reason_required", "catalog_changed_since_opened"],
    form: (c, failure) => showAgain(c, failure, () => publishForm(c, reasonsFrom(c.body), failure)),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/lint",
    policy: "catalog.read",
    handle: async (c) => {
      const { version, findings } = await lintCatalogVersion(deps.db, {
        agencyId: c.agency.id,
        agencyName: c.agency.name,
        agencyShortName: c.agency.shortName,
        versionId: query(c, "version") || undefined,
      });
      const tree = await getCatalogVersion(deps.db, c.agency.id, version.id);
      return lintPage(pageContext(c.request), c.agency, { tree, findings });
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/export",
    policy: "catalog.read",
    handle: async (c) => {
      const format = typeof c.query.format === "string" ? c.query.format : "xlsx";
      if (!isExportFormat(format))
        throw new AppError("bad_request", "format 只能是 xlsx、docx、csv 或 json。");
      const file = await exportCatalog(deps.db, {
        agencyId: c.agency.id,
        agencySlug: c.agency.slug,
        agencyName: c.agency.name,
        format,
        versionId: query(c, "version") || undefined,
      });
      c.reply.header("cache-control", "private, no-store");
      c.reply.header("content-disposition", contentDisposition(file.fileName));
      return c.reply.type(file.contentType).send(file.body);
    },
  });
}
