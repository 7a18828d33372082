/**
 * @module Retention: deletes applicants' personal data of archived applications past the agency's retention period
 * (register event and audit entry per application).
 */
import type { Deps } from "../deps.ts";
import { listPurgeable, lockInfoRequest, updateInfoRequest } from "./info-request.repository.ts";
import { EVENT_KINDS } from "./info-request.ts";
import { insertEvent } from "./request-steps.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------------------------

/** Deletes applicants' personal data of archived applications past the agency's retention period. */
export async function purgeExpiredPersonalData(deps: Deps): Promise<{ purged: string[] }> {
  const today = deps.clock.today();
  const rows = await listPurgeable(deps.db, today);
  const purged: string[] = [];
  for (const r of rows) {
    await deps.db.transaction().execute(async (trx) => {
      const row = await lockInfoRequest(trx, r.agency_id, r.id);
      if (!row?.personal_enc) return;
      await updateInfoRequest(trx, r.agency_id, r.id, row.version, {
        personal_enc: null,
        personal_purged_on: today,
        applicant_display: row.applicant_type === "natural_person" ? "（已删除）" : row.applicant_display,
      });
      await insertEvent(trx, {
        agency_id: r.agency_id,
        request_id: r.id,
        kind: "personal_data_purged",
        on_date: today,
        actor_id: null,
        actor_name: "系统",
        public: false,
        note: EVENT_KINDS.personal_data_purged,
      });
      await deps.audit.record(trx, {
        actorId: null,
        actorName: "系统",
        action: "request.purge_personal",
        agencyId: r.agency_id,
        entityType: "info_request",
        entityId: r.id,
        summary: `${r.number}：保存期限届满，删除申请人个人信息`,
      });
      purged.push(r.number);
    });
  }
  return { purged };
}
