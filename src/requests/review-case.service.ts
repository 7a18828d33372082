/**
 * @module Administrative review and litigation cases (行政复议/行政诉讼, annual report table 四) attached to applications:
 * recording a case and updating its result.
 */

import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { lockInfoRequest } from "./info-request.repository.ts";
import type { CaseRow } from "./info-request.table.ts";
import { CASE_KINDS, type CaseKind, type CaseResult } from "./info-request.ts";
import { optionalText, requireStatus, stepDate } from "./request-step.service.ts";
import {
  findCase,
  insertCase,
  insertEvent,
  updateCase as updateCaseRow,
} from "./request-steps.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Review and litigation (table 四)
// ---------------------------------------------------------------------------------------------------------------

export interface ReviewCase {
  id: string;
  requestId: string;
  kind: CaseKind;
  filedOn: string;
  body: string;
  caseNumber: string;
  result: CaseResult;
  concludedOn: string | null;
  note: string | null;
  version: number;
}

export function toCase(row: CaseRow): ReviewCase {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    filedOn: row.filed_on,
    body: row.body,
    caseNumber: row.case_number,
    result: row.result,
    concludedOn: row.concluded_on,
    note: row.note,
    version: row.version,
  };
}

const CASE_RESULT_CODES = ["upheld", "corrected", "other", "pending"] as const;

export async function recordCase(
  deps: Deps,
  agency: Agency,
  requestId: string,
  actor: Actor,
  input: {
    kind: unknown;
    filedOn: unknown;
    body?: unknown;
    caseNumber?: unknown;
    result?: unknown;
    concludedOn?: unknown;
  },
): Promise<ReviewCase> {
  const today = deps.clock.today();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockInfoRequest(trx, agency.id, requestId);
    if (!row) throw new AppError("info_request_not_found");
    requireStatus(row, ["concluded", "archived"], "登记行政复议或行政诉讼");
    if (typeof input.kind !== "string" || !Object.hasOwn(CASE_KINDS, input.kind))
      throw validationError([{ field: "kind", message: "请选择案件类型" }]);
    const kind = input.kind as CaseKind;
    const filedOn = stepDate("filedOn", input.filedOn, {
      min: row.replied_on,
      max: today,
      minLabel: "答复日期",
    });
    const result = (CASE_RESULT_CODES as readonly string[]).includes(String(input.result ?? "pending"))
      ? (String(input.result ?? "pending") as CaseResult)
      : "pending";
    const concludedOn =
      result === "pending"
        ? null
        : stepDate("concludedOn", input.concludedOn, { min: filedOn, max: today, minLabel: "立案日期" });
    const created = await insertCase(trx, {
      agency_id: agency.id,
      request_id: requestId,
      kind,
      filed_on: filedOn,
      body: optionalText("body", input.body, 200, "复议机关或人民法院", false) ?? "",
      case_number: optionalText("caseNumber", input.caseNumber, 100, "案号", false) ?? "",
      result,
      concluded_on: concludedOn,
      note: null,
    });
    await insertEvent(trx, {
      agency_id: agency.id,
      request_id: requestId,
      kind: "case_recorded",
      on_date: filedOn,
      actor_id: actor.id,
      actor_name: actor.name,
      public: false,
      note: `登记${CASE_KINDS[kind]}`,
    });
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.handle",
      agencyId: agency.id,
      entityType: "info_request_case",
      entityId: created.id,
      summary: `${row.number}：登记${CASE_KINDS[kind]}`,
      after: { kind, filedOn, result },
    });
    return toCase(created);
  });
}

export async function updateCaseResult(
  deps: Deps,
  agency: Agency,
  caseId: string,
  version: number,
  actor: Actor,
  input: { result: unknown; concludedOn?: unknown; note?: unknown },
): Promise<ReviewCase> {
  const today = deps.clock.today();
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findCase(trx, agency.id, caseId);
    if (!existing) throw new AppError("not_found");
    if (!(CASE_RESULT_CODES as readonly string[]).includes(String(input.result)))
      throw validationError([{ field: "result", message: "请选择审理结果" }]);
    const result = input.result as CaseResult;
    const concludedOn =
      result === "pending"
        ? null
        : stepDate("concludedOn", input.concludedOn, {
            min: existing.filed_on,
            max: today,
            minLabel: "立案日期",
          });
    const saved = await updateCaseRow(trx, agency.id, caseId, version, {
      result,
      concluded_on: concludedOn,
      note: optionalText("note", input.note, 1000, "说明"),
    });
    if (!saved) throw new AppError("info_request_conflict");
    await insertEvent(trx, {
      agency_id: agency.id,
      request_id: existing.request_id,
      kind: "case_updated",
      on_date: concludedOn ?? today,
      actor_id: actor.id,
      actor_name: actor.name,
      public: false,
      note: `${CASE_KINDS[existing.kind]}结果：${result}`,
    });
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.handle",
      agencyId: agency.id,
      entityType: "info_request_case",
      entityId: caseId,
      summary: `更新${CASE_KINDS[existing.kind]}结果`,
      before: { result: existing.result, concludedOn: existing.concluded_on },
      after: { result, concludedOn },
    });
    return toCase(saved);
  });
}
