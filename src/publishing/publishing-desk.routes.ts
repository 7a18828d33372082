/**
 * @module The agency's publishing desk beside its records, on `staffRoute` (/admin/agencies/:agency/…): periodic
 * duties and their 本期无新增 attestation (records/obligations), the re-review of withheld information
 * (records/rereview, 条例第18条), publishing settings (records/settings) and duty notices (notices).
 */
import type { FastifyInstance } from "fastify";
import { can, type StaffUser } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError } from "../errors.ts";
import { pageContext } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { isUuid } from "../shared/ids.ts";
import { INDEX_PRESETS, type IndexPreset } from "./index-number.rules.ts";
import { noticesForUser, readNotice } from "./notification.service.ts";
import { noticesPage } from "./notification.views.ts";
import {
  attestObligation,
  ensureObligations,
  listAgencyObligations,
  obligationResource,
  obligationState,
} from "./obligation.service.ts";
import { obligationsPage } from "./obligation.views.ts";
import { getPublishingSettings, updatePublishingSettings } from "./publishing-settings.service.ts";
import { settingsPage } from "./publishing-settings.views.ts";
import { noticesPath, recordsPath } from "./record.paths.ts";
import {
  agencyInfo,
  catalogItemsForForm,
  departmentsOf,
  previewIndexNumber,
  recordResource,
  recordTitles,
} from "./record-query.service.ts";
import {
  listRereviewHistory,
  listRereviewQueue,
  recordRereview,
  rereviewIntervalMonths,
  setRereviewInterval,
} from "./record-rereview.service.ts";
import { rereviewPage } from "./record-rereview.views.ts";

type Ctx = StaffContext<unknown, unknown>;

export function publishingDeskRoutes(app: FastifyInstance, deps: Deps): void {
  // ----- periodic duties -----------------------------------------------------------------------------------------
  async function renderObligations(
    c: Ctx,
    extra: { errors?: FieldError[]; errorFor?: string; message?: string } = {},
  ): Promise<SafeHtml> {
    const agency = c.agency;
    const asOf = deps.clock.today();
    await ensureObligations(deps, agency.id, { asOf });
    const filter = String(c.query.state ?? "");
    const [list, items, departments] = await Promise.all([
      listAgencyObligations(deps.db, { agencyId: agency.id }),
      catalogItemsForForm(deps.db, agency.id),
      departmentsOf(deps.db, agency.id),
    ]);
    const itemName = new Map(items.map((i) => [i.stableKey, i.name]));
    const dept = new Map(departments.map((d) => [d.id, d.name]));
    const titles = await recordTitles(
      deps.db,
      agency.id,
      list.map((o) => o.met_record_id).filter((x): x is string => x !== null),
    );
    const rows = list
      .map((o) => ({
        o,
        state: obligationState(o, asOf),
        itemName: itemName.get(o.item_stable_key) ?? o.item_stable_key,
        departmentName: o.department_id ? (dept.get(o.department_id) ?? null) : null,
        recordTitle: o.met_record_id ? (titles.get(o.met_record_id) ?? null) : null,
      }))
      .filter((r) =>
        filter === "overdue"
          ? r.state === "overdue"
          : filter === "open"
            ? r.state === "open"
            : filter === "done"
              ? r.o.status !== "open"
              : true,
      )
      .sort((a, b) => (a.o.due_date < b.o.due_date ? 1 : a.o.due_date > b.o.due_date ? -1 : 0));
    return obligationsPage(pageContext(c.request), {
      agency,
      agencies: await c.agencies(),
      asOf,
      rows,
      canAttest: can(c.user, "record.publish", { agencyId: agency.id }),
      errors: extra.errors ?? [],
      errorFor: extra.errorFor,
      filter,
    });
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/obligations",
    policy: "record.read",
    handle: (c) => renderObligations(c),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/obligations/:oid/attest",
    policy: "record.publish",
    load: (c) => obligationResource(deps.db, c.agency.id, c.params.oid ?? ""),
    handle: (c) =>
      attestObligation(
        deps,
        c.actor,
        c.agency.id,
        c.params.oid as string,
        bodyString(c.body, "reason", 1000),
      ),
    redirect: (c) => recordsPath(c.agency.slug, `/obligations#o-${c.params.oid}`),
    form: (c, failure) =>
      renderObligations(c, {
        errors: failure.errors.length ? failure.errors : [{ field: "reason", message: failure.message }],
        errorFor: c.params.oid as string,
      }),
  });

  // ----- re-review of withheld information (条例第18条) -----------------------------------------------------------
  // The queue (action record.rereview): reviewers record reviews (record.review), the approver's release is checked
  // by the service (record.approve), the 政务公开办 sets the interval (agency.manage).
  async function renderRereview(
    c: Ctx,
    extra: {
      errors?: FieldError[];
      errorFor?: string;
      values?: { conclusion: string; reason: string };
      saved?: boolean;
    } = {},
  ): Promise<SafeHtml> {
    const agency = c.agency;
    const user: StaffUser = c.user;
    const today = deps.clock.today();
    const [entries, history, intervalMonths] = await Promise.all([
      listRereviewQueue(deps.db, agency.id, today),
      listRereviewHistory(deps.db, agency.id),
      rereviewIntervalMonths(deps.db, agency.id),
    ]);
    return rereviewPage(pageContext(c.request), {
      agency,
      agencies: await c.agencies(),
      asOf: today,
      intervalMonths,
      entries,
      history,
      canReview: can(user, "record.review", { agencyId: agency.id }),
      canRelease: can(user, "record.approve", { agencyId: agency.id }),
      canSetInterval: can(user, "agency.manage", { agencyId: agency.id }),
      errors: extra.errors ?? [],
      errorFor: extra.errorFor,
      values: extra.values,
      saved: extra.saved ?? false,
    });
  }
  const rereviewUrl = (c: Ctx) => recordsPath(c.agency.slug, "/rereview");

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/rereview",
    policy: "record.rereview",
    handle: (c) => renderRereview(c, { saved: c.query.saved === "1" }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/rereview/interval",
    policy: "agency.manage",
    handle: (c) => {
      const raw = bodyString(c.body, "intervalMonths", 10);
      return setRereviewInterval(deps, c.actor, c.agency.id, /^\d+$/.test(raw) ? Number(raw) : Number.NaN);
    },
    redirect: rereviewUrl,
    form: (c, failure) => renderRereview(c, { errors: failure.errors, errorFor: "interval" }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/rereview/:id",
    policy: "record.review",
    load: (c) => recordResource(deps.db, c.agency.id, c.params.id ?? ""),
    input: (body) => ({
      conclusion: bodyString(body, "conclusion", 20),
      reason: bodyString(body, "reason", 2000),
    }),
    handle: (c) =>
      recordRereview(deps, c.actor, c.agency.id, c.params.id as string, c.input, deps.clock.today()),
    redirect: (c) => `${rereviewUrl(c)}?saved=1`,
    form: (c, failure) =>
      renderRereview(c, {
        errors: failure.errors,
        errorFor: c.params.id as string,
        values: {
          conclusion: bodyString(c.body, "conclusion", 20),
          reason: bodyString(c.body, "reason", 2000),
        },
      }),
  });

  // ----- settings ------------------------------------------------------------------------------------------------
  type Settings = Awaited<ReturnType<typeof getPublishingSettings>>;
  async function renderSettings(
    c: Ctx,
    extra: { errors?: FieldError[]; saved?: boolean; settings?: Settings } = {},
  ): Promise<SafeHtml> {
    const agency = c.agency;
    const info = await agencyInfo(deps.db, agency.id);
    return settingsPage(pageContext(c.request), {
      agency: { ...agency, creditCode: info.creditCode, orgCode: info.orgCode },
      agencies: await c.agencies(),
      settings: extra.settings ?? (await getPublishingSettings(deps.db, agency.id)),
      departments: await departmentsOf(deps.db, agency.id),
      errors: extra.errors ?? [],
      saved: extra.saved ?? false,
      example: await previewIndexNumber(deps.db, agency.id, deps.clock.today()),
    });
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/settings",
    policy: "agency.manage",
    handle: (c) => renderSettings(c, { saved: c.query.saved === "1" }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/settings",
    policy: "agency.manage",
    input: async (body, c) => {
      const preset = bodyString(body, "preset", 40);
      const template =
        preset in INDEX_PRESETS
          ? INDEX_PRESETS[preset as IndexPreset].template
          : bodyString(body, "indexTemplate", 100);
      const emails = (v: string) => v.split(/[\s,，;；]+/).filter(Boolean);
      const notifyEmails: Record<string, string[]> = {};
      const all = emails(bodyString(body, "email_all", 1000));
      if (all.length) notifyEmails["*"] = all;
      for (const d of await departmentsOf(deps.db, c.agency.id)) {
        const list = emails(bodyString(body, `email_${d.id}`, 1000));
        if (list.length) notifyEmails[d.id] = list;
      }
      const code = bodyString(body, "indexCode", 40);
      return {
        indexTemplate: template,
        indexCode: code === "" ? null : code,
        indexCodeIsDemo: bodyString(body, "indexCodeIsDemo") === "1",
        notifyEmails,
      };
    },
    handle: (c) => updatePublishingSettings(deps, c.actor, c.agency.id, c.input),
    redirect: (c) => recordsPath(c.agency.slug, "/settings?saved=1"),
    form: (c, failure) =>
      renderSettings(c, {
        errors: failure.errors,
        ...(c.input ? { settings: c.input as unknown as Settings } : {}),
      }),
  });

  // ----- notices -------------------------------------------------------------------------------------------------
  function departmentsOfUser(user: StaffUser, agencyId: string): string[] | undefined {
    // Department-scoped editors see their department's notices (and agency-wide ones); everyone else sees all.
    const grants = user.grants.filter((g) => g.agencyId === agencyId);
    if (grants.length > 0 && grants.every((g) => g.role === "editor" && g.departmentId))
      return grants.map((g) => g.departmentId as string);
    return undefined;
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/notices",
    policy: "record.read",
    handle: async (c) =>
      noticesPage(pageContext(c.request), {
        agency: c.agency,
        agencies: await c.agencies(),
        notices: await noticesForUser(deps.db, c.agency.id, departmentsOfUser(c.user, c.agency.id)),
        departments: await departmentsOf(deps.db, c.agency.id),
        canMarkRead: can(c.user, "notice.mark_read", { agencyId: c.agency.id }),
      }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/notices/:nid/read",
    policy: "notice.mark_read",
    handle: async (c) => {
      const nid = c.params.nid ?? "";
      // Another agency's notice (or none) is not found.
      if (!isUuid(nid) || !(await readNotice(deps.db, c.agency.id, nid, deps.clock.now())))
        throw new AppError("not_found");
    },
    redirect: (c) => noticesPath(c.agency.slug),
  });
}
