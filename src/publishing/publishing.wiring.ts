/**
 * @module What publishing registers with other features: after a calendar change, open periodic obligations and
 * provisional record due dates are recomputed in the change's transaction; a department a record belongs to is
 * never removed. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import { recomputeAfterCalendarChange } from "./obligation.service.ts";
import { departmentsWithRecords } from "./record.repository.ts";

export function registerPublishing(deps: Pick<Deps, "calendarHooks" | "departmentUses">): void {
  deps.calendarHooks.onChanged(recomputeAfterCalendarChange, "publishing");
  deps.departmentUses.register("publishing", departmentsWithRecords);
}
