/**
 * @module Concluding an application: the reply (条例第36条, 21 outcomes), delivery (送达), archiving, and linking the
 * answered information to a catalog item.
 */
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { formatChineseDate } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { OUTCOMES } from "../legal/annual-report-codes.ts";
import { isUuid } from "../shared/ids.ts";
import { outcomeLabel } from "./info-request.service.ts";
import type { InfoRequestRow } from "./info-request.table.ts";
import {
  DELIVERY_METHODS,
  type DeliveryMethod,
  type EventKind,
  type InfoRequest,
  OPEN_STATUSES,
  type OutcomeCode,
} from "./info-request.ts";
import { replyTemplateKind } from "./notices.rules.ts";
import { defaultLegalBasis, replyProblems, replyType, standardReplyText } from "./outcome.rules.ts";
import {
  clockStart,
  optionalText,
  requireStatus,
  runStep,
  type StepResult,
  stepDate,
} from "./request-step.service.ts";

export interface ReplyInput {
  replyType: unknown;
  outcome: unknown;
  legalBasis?: unknown;
  reasons?: unknown;
  repliedOn: unknown;
}

/** 条例第36–39条: exactly one outcome of table 三, the reply type and the legal basis; generates the 告知书. */
export async function replyToInfoRequest(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: ReplyInput,
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today, corrections }) => {
    const type = typeof input.replyType === "string" ? replyType(input.replyType) : undefined;
    const outcome = String(input.outcome ?? "") as OutcomeCode;
    // A withdrawal (其他处理) may end the application at any open step; replies otherwise come from 办理中.
    requireStatus(
      row,
      outcome === "other_other" ? OPEN_STATUSES.filter((s) => s !== "awaiting_confirmation") : ["processing"],
      "作出答复",
    );
    if (!OUTCOMES.some((o) => o.code === outcome))
      throw validationError([{ field: "outcome", message: "请选择办理结果" }]);
    const legalBasis =
      optionalText("legalBasis", input.legalBasis, 500, "法律依据") ??
      (type ? defaultLegalBasis(type.code, outcome) : "");
    const problems = replyProblems({
      replyType: String(input.replyType ?? ""),
      outcome,
      legalBasis,
      correctionCompleted: corrections.some((c) => c.received_on !== null),
    });
    if (problems.length) throw validationError(problems);
    const repliedOn = stepDate("repliedOn", input.repliedOn, {
      min: clockStart(row, corrections),
      max: today,
      minLabel: "收到申请之日",
    });
    const reasons = optionalText("reasons", input.reasons, 5000, "理由或补充说明");
    if (outcome === "partially_granted" || outcome.startsWith("withheld_") || type?.code === "art36_5") {
      if (!reasons)
        throw validationError([
          { field: "reasons", message: "不予公开、部分公开或告知由其他机关负责的，应当说明理由" },
        ]);
    }
    return conclude(row, (type as NonNullable<typeof type>).code, outcome, repliedOn, reasons, {
      kind: "replied",
      // Public milestone: plain words, without the annual report's group numbering (「（一）」).
      note: `本机关于${formatChineseDate(repliedOn)}作出答复：${outcomeLabel(outcome).replace(/^（[一二三四五六七八九十]+）/, "")}。`,
      audit: `作出答复：${outcomeLabel(outcome)}`,
      legalBasis,
    });
  });
}

/** Closes the application with one outcome and generates the matching reply notice. */
export function conclude(
  _row: InfoRequestRow,
  replyTypeCode: string,
  outcome: OutcomeCode,
  on: string,
  reasons: string | null,
  text: { kind: EventKind; note: string; audit: string; legalBasis?: string },
): StepResult {
  const legalBasis = text.legalBasis ?? defaultLegalBasis(replyTypeCode, outcome);
  return {
    patch: {
      status: "concluded",
      outcome,
      reply_type: replyTypeCode,
      legal_basis: legalBasis,
      reply_reasons: reasons,
      replied_on: on,
      concluded_on: on,
    },
    event: {
      kind: text.kind,
      on,
      public: true,
      note: text.note,
      data: { outcome, replyType: replyTypeCode },
    },
    audit: text.audit,
    notice: {
      kind: replyTemplateKind(outcome),
      on,
      values: () => ({
        答复内容: standardReplyText(replyTypeCode, outcome),
        理由: reasons ?? "",
        法律依据: legalBasis,
      }),
    },
  };
}

/** Delivery of the reply (method, date, proof such as a postal tracking number or a signed receipt). */
export async function recordDelivery(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { method: unknown; deliveredOn: unknown; proof?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["concluded"], "登记送达");
    if (typeof input.method !== "string" || !Object.hasOwn(DELIVERY_METHODS, input.method))
      throw validationError([{ field: "method", message: "请选择送达方式" }]);
    const method = input.method as DeliveryMethod;
    const deliveredOn = stepDate("deliveredOn", input.deliveredOn, {
      min: row.replied_on,
      max: today,
      minLabel: "答复日期",
    });
    const proof = optionalText("proof", input.proof, 500, "送达凭证");
    return {
      patch: { delivered_on: deliveredOn, delivery_actual: method, delivery_proof: proof },
      event: {
        kind: "delivered",
        on: deliveredOn,
        public: true,
        note: `答复已于${formatChineseDate(deliveredOn)}以“${DELIVERY_METHODS[method]}”方式送达。`,
      },
      audit: `登记送达（${DELIVERY_METHODS[method]}）`,
    };
  });
}

/** Outcomes without a reply to serve: deemed withdrawn (no 补正, no payment) or withdrawn by the applicant. */
const NOTHING_TO_DELIVER = new Set<string>(["other_not_corrected", "other_fee_unpaid", "other_other"]);

/** 条例第45条: archiving closes the file (after the reply was served). */
export async function archiveInfoRequest(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { archivedOn?: unknown } = {},
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["concluded"], "归档");
    // The reply is served before the file closes: an archived application can no longer record its 送达 (the
    // proof the remedy periods run from). Applications deemed withdrawn (条例第30条, 109号) or withdrawn have none.
    if (row.delivered_on === null && !NOTHING_TO_DELIVER.has(row.outcome ?? ""))
      throw new AppError(
        "info_request_invalid_state",
        "答复尚未登记送达：请先登记送达（方式、日期和凭证），再归档。",
      );
    const archivedOn = input.archivedOn
      ? stepDate("archivedOn", input.archivedOn, { min: row.concluded_on, max: today, minLabel: "办结日期" })
      : today;
    return {
      patch: { status: "archived", archived_on: archivedOn },
      event: { kind: "archived", on: archivedOn, public: true, note: "该申请已办结归档。" },
      audit: "归档",
    };
  });
}

/** 条例第44条: link the application to a catalog item (转主动公开), or unlink it (null). */
export async function linkCatalogItem(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { catalogItemId: unknown },
): Promise<InfoRequest> {
  const itemId =
    typeof input.catalogItemId === "string" && isUuid(input.catalogItemId.trim())
      ? input.catalogItemId.trim()
      : null;
  if (input.catalogItemId && !itemId)
    throw validationError([{ field: "catalogItemId", message: "事项编号格式不正确" }]);
  try {
    return await runStep(deps, agency, id, version, actor, ({ today }) => ({
      patch: { catalog_item_id: itemId },
      event: {
        kind: "catalog_linked",
        on: today,
        public: false,
        note: itemId ? "关联主动公开事项（条例第四十四条）" : "取消关联主动公开事项",
        data: { catalogItemId: itemId },
      },
      audit: itemId ? "关联主动公开事项（条例第四十四条）" : "取消关联主动公开事项",
    }));
  } catch (e) {
    if ((e as { code?: string }).code === "23503")
      throw validationError([{ field: "catalogItemId", message: "本机关目录中没有该事项" }]);
    throw e;
  }
}
