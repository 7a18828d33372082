/**
 * @module What the reports feature contributes to others: the annual-report reminders on the console home
 * (条例第49条: publish last year's report by 31 January). Registered by registerFeatures(deps).
 */
import { can } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { html } from "../shared/html.ts";
import { reportRemindersFor } from "./report.service.ts";
import { remindersFragment } from "./report.views.ts";

export function registerReports(deps: Pick<Deps, "db" | "consoleLinks">): void {
  deps.consoleLinks.addHomeNotice("reports.reminders", async (user, today) =>
    can(user, "report.read") ? remindersFragment(await reportRemindersFor(deps.db, user, today)) : html``,
  );
}
