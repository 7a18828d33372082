/**
 * @module What applications (依申请公开) put on a handler's 工作台: every open application whose next statutory
 * deadline (答复、补正、征求意见、缴费; 条例第30–33条) is overdue or due within 3 working days, most urgent first.
 * Registered with `deps.consoleLinks.addWorkQueue`.
 */
import { agencyScope, can, type StaffUser } from "../accounts/policy.ts";
import { listAgenciesByName } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import type { WorkSection } from "../http/console-links.ts";
import { listReminders } from "./info-request-query.service.ts";

const LIMIT = 8;

export async function requestWork(deps: Deps, user: StaffUser): Promise<WorkSection[]> {
  const scope = agencyScope(user, "request.handle");
  if (scope.all || scope.agencyIds.length === 0) return [];
  const agencies = (await listAgenciesByName(deps.db)).filter(
    (a) => scope.agencyIds.includes(a.id) && can(user, "request.handle", { agencyId: a.id }),
  );
  const multi = agencies.length > 1;
  const all = (
    await Promise.all(
      agencies.map(async (agency) => (await listReminders(deps, agency)).map((r) => ({ agency, r }))),
    )
  )
    .flat()
    .sort((a, b) => (a.r.due < b.r.due ? -1 : a.r.due > b.r.due ? 1 : 0));
  if (all.length === 0) return [];
  const first = agencies[0];
  return [
    {
      key: "requests.due",
      label: "申请办理期限将至或已过",
      count: all.length,
      hint: "依申请公开的各项期限按工作日计算；请在期限届满前答复、告知或报请延期。",
      moreHref: first
        ? `/admin/agencies/${encodeURIComponent(first.slug)}/requests?view=due_soon`
        : undefined,
      items: all.slice(0, LIMIT).map(({ agency, r }) => ({
        title: `${r.request.number} ${r.request.infoTitle}`,
        href: `/admin/agencies/${encodeURIComponent(agency.slug)}/requests/${r.request.id}`,
        note: [multi ? agency.shortName : undefined, r.label, r.advice].filter(Boolean).join(" · "),
        due: r.due,
        overdue: r.urgency === "overdue",
      })),
    },
  ];
}

/** Registered by registerFeatures: applications' part of a handler's 工作台. */
export function registerRequestWork(deps: Deps): void {
  deps.consoleLinks.addWorkQueue("requests", (user) => requestWork(deps, user));
  deps.consoleLinks.countOn("/admin/requests", ["requests."]);
}
