/**
 * @module What the portal reacts to: every domain event that changes a public page drops the cached pages of its
 * agency (and the platform-wide pages) from `deps.pageCache`, in memory and in the shared page store (which
 * notifies the other processes). Registered by registerFeatures(deps).
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
  // A change made here drops the pages here and marks them stale in the shared page store, whose notification
  // drops them in the other processes. A change relayed from another process (the event bridge) only needs
  // dropping here when there is no shared store (else its notification does that, once).
  for (const event of PAGE_CHANGING_EVENTS)
    deps.events.on(
      event,
      ({ agencyId }, meta) => {
        if (meta.origin === "local") deps.pageCache.invalidate(agencyId);
        else if (!deps.pageCache.shared) deps.pageCache.dropLocal(agencyId);
      },
      "portal.pageCache",
    );
}
