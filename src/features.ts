/**
 * @module registerFeatures(deps): the one place where features subscribe to each other's events and hooks.
 * `createDeps` calls it once for every Deps it builds, so the server, the CLI and tests are wired the same way.
 * Importing a feature module never registers anything (no import side effects); reading this file tells who
 * reacts to what.
 */
import { registerAccounts } from "./accounts/accounts.wiring.ts";
import { registerCatalog } from "./catalog/catalog.wiring.ts";
import type { Deps } from "./deps.ts";
import { registerPortal } from "./portal/portal.wiring.ts";
import { registerPublishing } from "./publishing/publishing.wiring.ts";
import { registerRecordNotifications } from "./publishing/record-notify.ts";
import { registerPublishingWork } from "./publishing/record-worklist.ts";
import { registerReports } from "./reports/reports.wiring.ts";
import { registerRequests } from "./requests/requests.wiring.ts";
import { registerRequestWork } from "./requests/requests.worklist.ts";

export function registerFeatures(deps: Deps): void {
  // Portal: cached public pages are dropped when a record, catalog, report or guide of the agency changes.
  registerPortal(deps);
  // Calendar changes: publishing's obligations and provisional due dates, and open applications' due dates, are
  // recomputed inside the change's transaction (deps.calendarHooks).
  // They also tell, with catalog and accounts, which departments their rows still name (deps.departmentUses), so a
  // department a discarded catalog draft created is removed only when nothing refers to it.
  registerPublishing(deps);
  registerRequests(deps);
  registerCatalog(deps);
  registerAccounts(deps);
  // Reports: annual-report reminders on the console home (accounts shows them without importing reports).
  registerReports(deps);
  // The 工作台's to-do list: publishing (review, sign, publish, sent back, due) and applications (deadlines).
  registerPublishingWork(deps);
  registerRequestWork(deps);
  // Notifications (通知, e-mail) to whoever must act after a record's workflow step, or gets it sent back.
  registerRecordNotifications(deps);
}
