/**
 * @module Audit log routes (审计管理员 only: `audit.read`): browse and filter, export CSV (itself audited), verify
 * the chain; JSON at /api/v1/audit-events.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { agenciesInRegions, regionTree } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { API_TAGS } from "../http/openapi.ts";
import { isUuid } from "../shared/ids.ts";
import {
  type AuditFilter,
  actorOf,
  exportAuditCsv,
  listAuditEvents,
  verifyAuditChain,
} from "./audit.service.ts";
import { type AuditQuery, auditListPage, auditVerifyPage } from "./audit.views.ts";

const PAGE_SIZE = 50;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

type Query = Partial<Record<keyof AuditQuery | "before", string>>;

function readQuery(q: Query): AuditQuery {
  const s = (v: string | undefined, max = 100) =>
    String(v ?? "")
      .trim()
      .slice(0, max);
  return {
    from: s(q.from, 10),
    to: s(q.to, 10),
    action: s(q.action),
    actor: s(q.actor),
    agency: s(q.agency, 36),
    entityType: s(q.entityType),
    entityId: s(q.entityId, 200),
    q: s(q.q),
  };
}

/** Dates are Asia/Shanghai calendar days; `to` is inclusive. */
function toFilter(q: AuditQuery): { filter: AuditFilter; error?: string } {
  const filter: AuditFilter = {};
  let error: string | undefined;
  if (q.from) {
    if (DATE_RE.test(q.from)) filter.from = new Date(`${q.from}T00:00:00+08:00`);
    else error = "开始日期格式应为 YYYY-MM-DD。";
  }
  if (q.to) {
    if (DATE_RE.test(q.to)) filter.to = new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000);
    else error = "结束日期格式应为 YYYY-MM-DD。";
  }
  if (filter.from && Number.isNaN(filter.from.getTime())) filter.from = undefined;
  if (filter.to && Number.isNaN(filter.to.getTime())) filter.to = undefined;
  if (q.agency && isUuid(q.agency)) filter.agencyIds = [q.agency];
  if (q.action) filter.action = q.action;
  if (q.actor) filter.actorName = q.actor;
  if (q.entityType) filter.entityType = q.entityType;
  if (q.entityId) filter.entityId = q.entityId;
  if (q.q) filter.text = q.q;
  return { filter, ...(error ? { error } : {}) };
}

async function agencyList(deps: Deps) {
  return agenciesInRegions(await regionTree(deps.db), "all").map(({ agency }) => ({
    id: agency.id,
    name: agency.name,
  }));
}

export function auditRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>(
    "/admin/audit",
    { config: { policy: "audit.read" } },
    async (request, reply) => {
      authorize(request, reply, "audit.read");
      const query = readQuery(request.query);
      const { filter, error } = toFilter(query);
      const before = Number.parseInt(String(request.query.before ?? ""), 10);
      const events = await listAuditEvents(deps.db, filter, {
        limit: PAGE_SIZE + 1,
        beforeSeq: Number.isFinite(before) && before > 0 ? before : undefined,
      });
      const more = events.length > PAGE_SIZE;
      const shown = events.slice(0, PAGE_SIZE);
      const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ""));
      reply.header("cache-control", "no-store");
      return sendHtml(
        reply,
        auditListPage(pageContext(request), {
          events: shown,
          query,
          agencies: await agencyList(deps),
          nextBefore: more ? shown[shown.length - 1]?.seq : undefined,
          exportHref: `/admin/audit/export.csv${params.size ? `?${params.toString()}` : ""}`,
          error,
        }),
      );
    },
  );

  const exportCsv = async (request: FastifyRequest<{ Querystring: Query }>) => {
    const query = readQuery(request.query);
    const { filter } = toFilter(query);
    return deps.db.transaction().execute(async (trx) => {
      const csv = await exportAuditCsv(trx, filter);
      await deps.audit.record(trx, {
        ...actorOf(request),
        action: "audit.export",
        agencyId: filter.agencyIds?.[0] ?? null,
        entityType: "audit_events",
        entityId: null,
        summary: "导出审计日志",
        after: { filter: query },
      });
      return csv;
    });
  };

  app.get<{ Querystring: Query }>(
    "/admin/audit/export.csv",
    { config: { policy: "audit.read" } },
    async (request, reply) => {
      authorize(request, reply, "audit.read");
      const csv = await exportCsv(request);
      const stamp = deps.clock.today();
      return reply
        .header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="audit-${stamp}.csv"`)
        .type("text/csv; charset=utf-8")
        .send(csv);
    },
  );

  app.get("/admin/audit/verify", { config: { policy: "audit.read" } }, async (request, reply) => {
    authorize(request, reply, "audit.read");
    const report = await verifyAuditChain(deps.db, { key: deps.audit.key });
    reply.header("cache-control", "no-store");
    return sendHtml(reply, auditVerifyPage(pageContext(request), report));
  });

  app.get<{ Querystring: Query }>(
    "/api/v1/audit-events",
    {
      config: { policy: "audit.read" },
      schema: {
        operationId: "listAuditEvents",
        summary: "查询审计日志（最新的200条，before 翻页）",
        tags: [API_TAGS.audit],
        querystring: Type.Object({
          from: Type.Optional(Type.String({ description: "开始日期 YYYY-MM-DD" })),
          to: Type.Optional(Type.String({ description: "结束日期 YYYY-MM-DD（含）" })),
          action: Type.Optional(Type.String({ description: "操作，例如 record.publish" })),
          actor: Type.Optional(Type.String({ description: "操作人（用户名或姓名）" })),
          agency: Type.Optional(Type.String({ description: "机关 id" })),
          entityType: Type.Optional(Type.String({ description: "对象类型" })),
          entityId: Type.Optional(Type.String({ description: "对象 id" })),
          q: Type.Optional(Type.String({ description: "摘要中的关键词" })),
          before: Type.Optional(
            Type.String({ pattern: "^[0-9]*$", description: "只列出序号小于此值的事件（翻页）" }),
          ),
        }),
        response: {
          200: Type.Object({
            events: Type.Array(
              Type.Object({
                seq: Type.Integer({ description: "序号（哈希链顺序）" }),
                occurredAt: Type.String({ format: "date-time" }),
                actorId: Type.Union([Type.String(), Type.Null()]),
                actorName: Type.Union([Type.String(), Type.Null()]),
                action: Type.String(),
                agencyId: Type.Union([Type.String(), Type.Null()]),
                entityType: Type.String(),
                entityId: Type.Union([Type.String(), Type.Null()]),
                summary: Type.String(),
                before: Type.Union([Type.String(), Type.Null()], { description: "修改前（JSON 文本）" }),
                after: Type.Union([Type.String(), Type.Null()], { description: "修改后（JSON 文本）" }),
                ip: Type.Union([Type.String(), Type.Null()]),
                hash: Type.String({ description: "本条的链式哈希" }),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      authorize(request, reply, "audit.read");
      const query = readQuery(request.query);
      const { filter } = toFilter(query);
      const before = Number.parseInt(String(request.query.before ?? ""), 10);
      const events = await listAuditEvents(deps.db, filter, {
        limit: 200,
        beforeSeq: Number.isFinite(before) && before > 0 ? before : undefined,
      });
      return { events };
    },
  );
}
