/**
 * @module The domain events of Gongkai: what one feature announces after a change committed, so that others react
 * without importing it (the portal drops cached pages when a record is published; a bridge may relay events to
 * other processes). The bus is `deps.events` (src/shared/event-bus.ts); listeners are registered explicitly by
 * `registerFeatures(deps)` (src/features.ts), never as an import side effect.
 *
 * Rules: emit only after the transaction committed; payloads are small JSON objects of ids (listeners read what
 * they need through the owner's read functions); adding a field is compatible, renaming an event or a field is not.
 */
import type { EventBus } from "./shared/event-bus.ts";

export interface DomainEvents {
  /** A record (政府信息) became public (first publication or a published revision). */
  "record.published": { agencyId: string; recordId: string };
  /** A published record was withdrawn from the portal (撤回). */
  "record.withdrawn": { agencyId: string; recordId: string };
  /** Anything else about a record changed (draft edit, workflow step, attachment, 条例第18条 re-review). */
  "record.updated": { agencyId: string; recordId: string };
  /**
   * A workflow step of a record committed (also announced as record.updated/record.published): step is submit,
   * review, approve, publish or return; actorId the staff member who took it (null for jobs).
   */
  "record.workflow": { agencyId: string; recordId: string; step: string; actorId: string | null };
  /** A catalog version (主动公开事项目录) was published. */
  "catalog.published": { agencyId: string; versionId: string; versionNo: number };
  /** An annual report (年度报告) was published (or a correction of it). */
  "report.published": { agencyId: string; reportId: string; year: number };
  /** The agency's guide (政府信息公开指南) changed. */
  "guide.updated": { agencyId: string };
  /** The agency's own search synonyms (搜索同义词) changed. */
  "search.synonyms_updated": { agencyId: string };
  /** An application (依申请公开) was received (online or registered by staff). */
  "request.received": { agencyId: string; requestId: string };
  /** A handling step of an application committed (step: the service's step name, e.g. "reply"). */
  "request.updated": { agencyId: string; requestId: string; step: string };
}

export type DomainEventName = keyof DomainEvents;

/** The application's event bus type (`deps.events`). */
export type AppEvents = EventBus<DomainEvents>;
