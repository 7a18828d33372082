/**
 * @module Demo annual reports: generated through the real use cases and taken through the workflow for the seed
 * agencies.
 */

import { type Actor, systemActor } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { canTransition, type ReportTransition } from "./report.rules.ts";
import { findReportView } from "./report.service.ts";
import { generateReport } from "./report-edit.service.ts";
import { transitionReport } from "./report-workflow.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Demo data
// ---------------------------------------------------------------------------------------------------------------

export interface ReportSeedResult {
  published: string[];
  existing: string[];
  /** Agencies whose report could not pass its checks (left in draft), with the first finding. */
  failed: { slug: string; reason: string }[];
}

/**
 * Generates and publishes the `year` report of each given agency from its demo data (idempotent: published reports
 * are left alone; a report in an intermediate status continues from there).
 */
export async function seedDemoReports(
  deps: Pick<Deps, "db" | "events" | "audit">,
  input: { slugs: readonly string[]; year: number; today: string; now: Date },
): Promise<ReportSeedResult> {
  const { db } = deps;
  const result: ReportSeedResult = { published: [], existing: [], failed: [] };
  const actor: Actor = systemActor("系统（演示数据）");
  for (const slug of input.slugs) {
    let agency: Agency;
    try {
      agency = await getAgencyBySlug(db, slug);
    } catch {
      continue;
    }
    let view = await findReportView(db, agency, input.year, input.today);
    if (view?.status === "published") {
      result.existing.push(slug);
      continue;
    }
    if (!view || view.status === "draft") {
      view = await generateReport(deps, {
        agency,
        year: input.year,
        actor,
        today: input.today,
        now: input.now,
      });
    }
    if (!view.submittable) {
      const first = view.findings.find((f) => f.severity === "error");
      result.failed.push({ slug, reason: first?.message ?? "未通过校验" });
      continue;
    }
    const order: ReportTransition[] = ["submit", "review", "approve", "publish"];
    for (const transition of order.slice(order.findIndex((t) => canTransition(view?.status ?? "draft", t)))) {
      view = await transitionReport(deps, {
        agency,
        year: input.year,
        transition,
        actor,
        today: input.today,
        now: input.now,
      });
    }
    result.published.push(slug);
  }
  return result;
}
