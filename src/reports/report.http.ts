/**
 * @module HTTP helpers shared by the annual-report routes (staff, API, public): form and URL parsing (years,
 * versions), the acting user, and sending an export (html/docx/xlsx/json) for download.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Actor, staffActor, systemActor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { AppError } from "../errors.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { contentDisposition, formatFromFileName, renderExport, standaloneHtmlCsp } from "./report.exports.ts";

export type Body = Record<string, unknown>;

export function str(body: Body, key: string): string | undefined {
  const v = body[key];
  if (typeof v === "string") return v;
  if (Array.isArray(v) && typeof v[0] === "string") return v[0];
  if (typeof v === "number") return String(v);
  return undefined;
}

export function list(body: Body, key: string): string[] {
  const v = body[key];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/** A 4-digit year from the URL; anything else is 404. */
export function yearParam(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new AppError("not_found");
  return Number(value);
}

/** A year from a form: invalid → report_year_invalid. */
export function yearField(value: string | undefined): number {
  if (!value || !/^\d{4}$/.test(value.trim())) throw new AppError("report_year_invalid");
  return Number(value.trim());
}

export function versionField(body: Body): number | undefined {
  const v = str(body, "version");
  if (v === undefined || v === "") return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new AppError("bad_request");
  return Number(v);
}

/** The acting user in the shape the report services take. */
export function actor(request: FastifyRequest): Actor {
  return request.staff ? staffActor(request.staff, request.ip) : systemActor("匿名", request.ip ?? null);
}

/** The policy resource of an agency (its region for supervisors). */
export function agencyResource(agency: Agency): { agencyId: string; regionId: string } {
  return { agencyId: agency.id, regionId: agency.regionId };
}

export function noStore(reply: FastifyReply): void {
  reply.header("cache-control", "private, no-store");
}

export async function sendExport(
  reply: FastifyReply,
  data: AnnualReportData,
  file: string,
): Promise<FastifyReply> {
  const format = formatFromFileName(file);
  if (!format) throw new AppError("not_found");
  const out = await renderExport(data, format);
  reply.header("content-disposition", contentDisposition(out));
  if (format === "html") reply.header("content-security-policy", standaloneHtmlCsp());
  return reply.type(out.contentType).send(out.body);
}
