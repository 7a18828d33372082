/**
 * @module What the portal reacts to: every domain event that changes a public page drops the cached pages of its
 * agency (and the platform-wide pages) from `deps.pageCache`. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import type { DomainEventName } from "../events.ts";

/** Events after which an agency's public pages may show something else. */
export const PAGE_CHANGING_EVENTS = [
  "record.published",
  "record.withdrawn",
  "record.updated",
  "catalog.published",
  "report.published",
  "guide.updated",
  "search.synonyms_updated",
] as const satisfies readonly DomainEventName[];

export function registerPortal(deps: Pick<Deps, "events" | "pageCache">): void {
  for (const event of PAGE_CHANGING_EVENTS)
    deps.events.on(event, ({ agencyId }) => deps.pageCache.invalidate(agencyId), "portal.pageCache");
}
