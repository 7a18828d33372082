/**
 * @module What publishing registers with other features: after a calendar change, open periodic obligations and
 * provisional record due dates are recomputed in the change's transaction. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import { recomputeAfterCalendarChange } from "./obligation.service.ts";

export function registerPublishing(deps: Pick<Deps, "calendarHooks">): void {
  deps.calendarHooks.onChanged(recomputeAfterCalendarChange, "publishing");
}
