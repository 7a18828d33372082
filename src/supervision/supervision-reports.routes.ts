/**
 * @module /admin/supervision/reports: the region's annual reports audited in one run (stored reports of the
 * region's agencies) and uploaded reports of agencies not on the platform (multipart, in its own scope with its
 * limits; files are parsed by the reports feature's readers with their size limits).
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { agencyScope } from "../accounts/policy.ts";
import { agenciesInRegions, regionTree } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { readStream } from "../http/uploads.ts";
import { auditReportFiles, auditStoredReports, MAX_REPORT_BYTES, type ReportFile } from "../reports/index.ts";
import { dueReportYear, supervisedRoots } from "./supervision.service.ts";
import { reportAuditPage } from "./supervision-reports.views.ts";

const BASE = "/admin/supervision";
const MAX_FILES = 40;

export function reportAuditRoutes(app: FastifyInstance, deps: Deps): void {
  async function context(request: FastifyRequest, reply: Parameters<typeof authorize>[1]) {
    const user = authorize(request, reply, "supervision.read");
    const scope = agencyScope(user, "supervision.read");
    const roots = await supervisedRoots(deps, scope.all ? "all" : scope.regionIds);
    if (roots.length === 0) throw new AppError("forbidden", "您的账户没有可监督的区域。");
    const q = request.query as Record<string, unknown>;
    // No region chosen: every region the user supervises (one run over all their agencies).
    const requested =
      typeof q.region === "string" && q.region !== ""
        ? q.region.slice(0, 40)
        : roots.length === 1
          ? (roots[0]?.id as string)
          : "";
    if (requested !== "" && !scope.all && !scope.regionIds.includes(requested))
      throw new AppError("region_not_found");
    const yearText = typeof q.year === "string" ? q.year : "";
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : dueReportYear(deps.clock.today());
    if (year < 2021 || year > Number(deps.clock.today().slice(0, 4)))
      throw new AppError("report_year_invalid");
    const tree = await regionTree(deps.db);
    const within = requested !== "" ? [requested] : roots.map((r) => r.id);
    const agencies = agenciesInRegions(tree, within).map((r) => r.agency);
    const stored = await auditStoredReports(deps.db, agencies, year, deps.clock.today());
    return { region: requested, regions: roots, year, stored };
  }

  app.get(`${BASE}/reports`, { config: { policy: "supervision.read" } }, async (request, reply) => {
    const c = await context(request, reply);
    reply.header("cache-control", "private, no-store");
    return sendHtml(reply, reportAuditPage(pageContext(request), { base: BASE, ...c, uploaded: null }));
  });

  void app.register(async (scope) => {
    if (!scope.hasRequestDecorator("file"))
      await scope.register(multipart, {
        limits: { fileSize: MAX_REPORT_BYTES, files: MAX_FILES, fields: 5, parts: MAX_FILES + 5 },
      });
    scope.post(`${BASE}/reports`, { config: { policy: "supervision.read" } }, async (request, reply) => {
      const c = await context(request, reply);
      if (!request.isMultipart())
        throw new AppError("unsupported_media_type", "请以 multipart/form-data 上传文件。");
      const reports: ReportFile[] = [];
      const previous: ReportFile[] = [];
      let error: string | undefined;
      let uploaded = null;
      try {
        for await (const part of request.files()) {
          const bytes = await readStream(part.file, MAX_REPORT_BYTES);
          if (part.file.truncated)
            throw new AppError(
              "payload_too_large",
              `“${part.filename}”超过 ${MAX_REPORT_BYTES / 1024 / 1024} MB 上限。`,
            );
          if (bytes.length === 0) continue;
          const file = { name: (part.filename || "report").slice(0, 200), bytes };
          (part.fieldname === "previous" ? previous : reports).push(file);
        }
        if (reports.length === 0)
          throw new AppError("validation_failed", "请选择要审核的年度报告文件。", {
            fields: [{ field: "reports", message: "请选择要审核的年度报告文件" }],
          });
        uploaded = await auditReportFiles(reports, previous);
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e;
        error = `${e.message}（错误代码：${e.code}）`;
        reply.status(e.status);
      }
      reply.header("cache-control", "private, no-store");
      return sendHtml(
        reply,
        reportAuditPage(pageContext(request), { base: BASE, ...c, uploaded, error }),
        reply.statusCode,
      );
    });
  });
}
