/**
 * @module Calendar routes: the public iCalendar export and year JSON, and the administrator page /admin/calendar
 * (calendar.manage: 系统管理员) with its JSON API twins under /api/v1/calendar.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { API_TAGS } from "../http/openapi.ts";
import {
  CalendarYear,
  NoticeBody,
  NoticeView,
  OverrideBody,
  OverrideView,
  Recomputed,
} from "./calendar.api-schemas.ts";
import {
  getNationalCalendar,
  getNationalYear,
  listCalendarData,
  listRegionOptions,
} from "./calendar.service.ts";
import {
  type CalendarAdminModel,
  calendarAdminPage,
  EMPTY_NOTICE_FORM,
  EMPTY_OVERRIDE_FORM,
  type NoticeFormValues,
  type OverrideFormValues,
} from "./calendar.views.ts";
import {
  addNotice,
  addOverride,
  type ChangeResult,
  deleteNotice,
  deleteOverride,
  type NoticeInput,
  type OverrideInput,
} from "./calendar-admin.service.ts";
import { toIcs } from "./ics.ts";

function parseYearParam(text: unknown): number {
  const s = String(text ?? "");
  if (!/^\d{4}$/.test(s)) throw new AppError("calendar_year_invalid");
  return Number(s);
}

function recomputedText(r: ChangeResult<unknown>): string {
  const total = r.recomputed.reduce((s, c) => s + c.count, 0);
  return `已重新计算受影响的截止日期${total}项。`;
}

export function calendarRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/calendar",
    label: "工作日历",
    action: "calendar.manage",
    order: 800,
    description: "查看各年放假和调休安排，录入新发布的国务院放假通知和地方性假日。",
  });

  // Public: the national calendar of a year as iCalendar (subscribe in any calendar app).
  app.get<{ Params: { file: string } }>(
    "/calendar/:file",
    { config: { policy: "public" } },
    async (request, reply) => {
      const m = /^(\d{4})\.ics$/.exec(request.params.file);
      if (!m) throw new AppError("not_found");
      const year = parseYearParam(m[1]);
      const [view, calendar] = await Promise.all([getNationalYear(deps, year), getNationalCalendar(deps)]);
      const ics = toIcs(calendar, view.year);
      return reply
        .header("cache-control", "public, max-age=3600")
        .header("content-disposition", `inline; filename="gongkai-holidays-${year}.ics"`)
        .type("text/calendar; charset=utf-8")
        .send(ics);
    },
  );

  // Public JSON: a year's rest and make-up working days with names.
  app.get<{ Params: { year: string } }>(
    "/api/v1/calendar/:year",
    {
      config: { policy: "public", errors: ["calendar_year_invalid"] },
      schema: {
        operationId: "getCalendarYear",
        summary: "一年的法定休息日和调休上班日（全国工作日历）",
        tags: [API_TAGS.calendar],
        params: Type.Object({ year: Type.String({ description: "年份，例如 2026" }) }),
        response: { 200: CalendarYear },
      },
    },
    async (request, reply) => {
      const view = await getNationalYear(deps, parseYearParam(request.params.year));
      reply.header("cache-control", "public, max-age=600");
      return view;
    },
  );

  const renderAdmin = async (
    request: FastifyRequest,
    reply: FastifyReply,
    year: number,
    extra: Partial<CalendarAdminModel> = {},
    status = 200,
  ) => {
    const today = deps.clock.today();
    const thisYear = Number(today.slice(0, 4));
    const [view, data, regions] = await Promise.all([
      getNationalYear(deps, year),
      listCalendarData(deps),
      listRegionOptions(deps.db),
    ]);
    const years = new Set<number>();
    for (let y = 2019; y <= thisYear + 1; y++) years.add(y);
    for (const n of data.notices) years.add(n.year);
    years.add(year);
    reply.header("cache-control", "no-store");
    return sendHtml(
      reply,
      calendarAdminPage(pageContext(request), {
        view,
        years: [...years].sort((a, b) => a - b),
        notices: data.notices,
        overrides: data.overrides,
        regions,
        noticeForm: EMPTY_NOTICE_FORM,
        noticeErrors: {},
        overrideForm: EMPTY_OVERRIDE_FORM,
        overrideErrors: {},
        ...extra,
      }),
      status,
    );
  };

  const DONE: Record<string, string> = {
    notice: "放假通知已录入。",
    "notice-deleted": "放假通知及其日期已删除。",
    override: "日期调整已登记。",
    "override-deleted": "日期调整已删除。",
  };

  app.get<{ Querystring: { year?: string; done?: string; n?: string } }>(
    "/admin/calendar",
    { config: { policy: "calendar.manage" } },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      const q = request.query;
      const year = q.year ? parseYearParam(q.year) : Number(deps.clock.today().slice(0, 4));
      const count = /^\d{1,6}$/.test(q.n ?? "") ? `已重新计算受影响的截止日期${q.n}项。` : "";
      const done = q.done && DONE[q.done] ? `${DONE[q.done]}${count}` : undefined;
      return renderAdmin(request, reply, year, { done });
    },
  );

  const noticeInputOf = (body: unknown): { form: NoticeFormValues; input: NoticeInput } => {
    const form: NoticeFormValues = {
      year: bodyString(body, "year", 10),
      title: bodyString(body, "title", 300),
      docNumber: bodyString(body, "docNumber", 100),
      date: bodyString(body, "noticeDate", 20),
      url: bodyString(body, "url", 500),
      days: bodyString(body, "days", 10_000, true),
    };
    return { form, input: { ...form, url: form.url || undefined } };
  };

  const overrideInputOf = (body: unknown): { form: OverrideFormValues; input: OverrideInput } => {
    const form: OverrideFormValues = {
      date: bodyString(body, "date", 20),
      kind: bodyString(body, "kind", 10),
      name: bodyString(body, "name", 100),
      category: bodyString(body, "category", 20),
      regionId: bodyString(body, "regionId", 64),
      note: bodyString(body, "note", 1000),
    };
    return { form, input: { ...form, regionId: form.regionId || null } };
  };

  const yearFromDate = (date: string, fallback: string): number => {
    const y = /^(\d{4})-/.exec(date)?.[1] ?? fallback;
    return /^\d{4}$/.test(y) ? Number(y) : Number(fallback);
  };

  app.post("/admin/calendar/notices", { config: { policy: "calendar.manage" } }, async (request, reply) => {
    authorize(request, reply, "calendar.manage");
    const { form, input } = noticeInputOf(request.body);
    try {
      const result = await addNotice(deps, actorOf(request), input);
      const n = result.recomputed.reduce((s, c) => s + c.count, 0);
      return reply.redirect(`/admin/calendar?year=${result.value.notice.year}&done=notice&n=${n}`, 303);
    } catch (e) {
      if (!isAppError(e) || e.fields.length === 0) throw e;
      const year = /^\d{4}$/.test(form.year) ? Number(form.year) : Number(deps.clock.today().slice(0, 4));
      // The notice form's date field is named noticeDate (the override form on the same page has a "date").
      const errors = fieldErrors(e);
      if (errors.date !== undefined) {
        errors.noticeDate = errors.date;
        delete errors.date;
      }
      return renderAdmin(request, reply, year, { noticeForm: form, noticeErrors: errors }, e.status);
    }
  });

  app.post<{ Params: { year: string } }>(
    "/admin/calendar/notices/:year/delete",
    { config: { policy: "calendar.manage" } },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      const year = parseYearParam(request.params.year);
      const result = await deleteNotice(deps, actorOf(request), year);
      const n = result.recomputed.reduce((s, c) => s + c.count, 0);
      return reply.redirect(`/admin/calendar?year=${year}&done=notice-deleted&n=${n}`, 303);
    },
  );

  app.post("/admin/calendar/overrides", { config: { policy: "calendar.manage" } }, async (request, reply) => {
    authorize(request, reply, "calendar.manage");
    const { form, input } = overrideInputOf(request.body);
    try {
      const result = await addOverride(deps, actorOf(request), input);
      const n = result.recomputed.reduce((s, c) => s + c.count, 0);
      return reply.redirect(
        `/admin/calendar?year=${result.value.date.slice(0, 4)}&done=override&n=${n}`,
        303,
      );
    } catch (e) {
      if (!isAppError(e) || e.fields.length === 0) throw e;
      const year = yearFromDate(form.date, deps.clock.today().slice(0, 4));
      return renderAdmin(
        request,
        reply,
        year,
        { overrideForm: form, overrideErrors: fieldErrors(e) },
        e.status,
      );
    }
  });

  app.post<{ Params: { id: string } }>(
    "/admin/calendar/overrides/:id/delete",
    { config: { policy: "calendar.manage" } },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      const result = await deleteOverride(deps, actorOf(request), request.params.id);
      const n = result.recomputed.reduce((s, c) => s + c.count, 0);
      return reply.redirect(
        `/admin/calendar?year=${result.value.date.slice(0, 4)}&done=override-deleted&n=${n}`,
        303,
      );
    },
  );

  // JSON API (Bearer tokens with the calendar.manage scope; errors as { error: { code, message, fields } }).
  app.get(
    "/api/v1/calendar-overrides",
    {
      config: { policy: "calendar.manage" },
      schema: {
        operationId: "listCalendarEntries",
        summary: "列出录入的放假通知和工作日历调整",
        tags: [API_TAGS.calendar],
        response: {
          200: Type.Object({ notices: Type.Array(NoticeView), overrides: Type.Array(OverrideView) }),
        },
      },
    },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      return listCalendarData(deps);
    },
  );

  app.post(
    "/api/v1/calendar-notices",
    {
      config: {
        policy: "calendar.manage",
        errors: ["calendar_override_invalid", "calendar_override_duplicate", "calendar_year_invalid"],
        openapi: { body: NoticeBody },
      },
      schema: {
        operationId: "createCalendarNotice",
        summary: "录入新发布的国务院放假通知（该年从此按通知计算期限）",
        tags: [API_TAGS.calendar],
        response: {
          201: Type.Object({
            notice: NoticeView,
            days: Type.Array(OverrideView),
            recomputed: Recomputed,
            message: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      const body = (request.body ?? {}) as Partial<NoticeInput>;
      const input: NoticeInput = {
        year: typeof body.year === "number" ? body.year : String(body.year ?? ""),
        title: String(body.title ?? ""),
        docNumber: String(body.docNumber ?? ""),
        date: String(body.date ?? ""),
        url: typeof body.url === "string" ? body.url : undefined,
        days: Array.isArray(body.days) || typeof body.days === "string" ? body.days : [],
      };
      const result = await addNotice(deps, actorOf(request), input);
      reply.status(201);
      return { ...result.value, recomputed: result.recomputed, message: recomputedText(result) };
    },
  );

  app.post(
    "/api/v1/calendar-overrides",
    {
      config: {
        policy: "calendar.manage",
        errors: ["calendar_override_invalid", "calendar_override_duplicate", "region_not_found"],
        openapi: { body: OverrideBody },
      },
      schema: {
        operationId: "createCalendarOverride",
        summary: "添加工作日历调整（地区休息日、临时闭馆或调休）",
        tags: [API_TAGS.calendar],
        response: {
          201: Type.Object({ override: OverrideView, recomputed: Recomputed, message: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      const { input } = overrideInputOf(request.body);
      const result = await addOverride(deps, actorOf(request), input);
      reply.status(201);
      return { override: result.value, recomputed: result.recomputed, message: recomputedText(result) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/calendar-overrides/:id",
    {
      config: { policy: "calendar.manage", errors: ["calendar_override_not_found"] },
      schema: {
        operationId: "deleteCalendarOverride",
        summary: "删除一项工作日历调整（受影响的期限随即重新计算）",
        tags: [API_TAGS.calendar],
        params: Type.Object({ id: Type.String({ maxLength: 100, description: "调整 id" }) }),
        response: { 200: Type.Object({ override: OverrideView, recomputed: Recomputed }) },
      },
    },
    async (request, reply) => {
      authorize(request, reply, "calendar.manage");
      const result = await deleteOverride(deps, actorOf(request), request.params.id);
      return { override: result.value, recomputed: result.recomputed };
    },
  );
}
