/**
 * @module Fee steps (国办函〔2020〕109号, 条例第42条): fee notice, payment recorded, fee lapsed.
 */

import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { compareDates, formatChineseDate, periodContaining } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { PAYMENT_WORKING_DAYS } from "./deadlines.ts";
import { feeMonth, perItemFee, perPageFee } from "./fees.rules.ts";
import { countApplicantEarlierInMonth } from "./info-request.repository.ts";
import { FEE_BASES, type FeeBasis, type InfoRequest } from "./info-request.ts";
import { conclude } from "./reply.service.ts";
import { requireStatus, runStep, stepDate, wholeNumber } from "./request-step.service.ts";

/** 国办函〔2020〕109号: fee notice (one basis per application; 按件 counts the applicant's calendar month). */
export async function issueFeeNotice(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { basis: unknown; units: unknown; servedOn: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today }) => {
    requireStatus(row, ["processing"], "发出收费通知");
    if (row.fee_basis !== null) throw new AppError("info_request_fee_exists");
    if (typeof input.basis !== "string" || !Object.hasOwn(FEE_BASES, input.basis))
      throw validationError([{ field: "basis", message: "请选择按件或按量计收（只能选择一种）" }]);
    const basis = input.basis as FeeBasis;
    const units = wholeNumber(input.units);
    if (!Number.isInteger(units) || units < 1 || units > 100000)
      throw validationError([
        { field: "units", message: basis === "per_item" ? "请填写本申请计为几件" : "请填写页数" },
      ]);
    const servedOn = stepDate("servedOn", input.servedOn, {
      min: row.received_on,
      max: today,
      minLabel: "收到申请之日",
    });
    const receivedOn = row.received_on as string;
    let fee = perPageFee(units);
    if (basis === "per_item") {
      const month = periodContaining(receivedOn, "month");
      const prior = await countApplicantEarlierInMonth(
        trx,
        agency.id,
        row.applicant_key,
        month.start,
        month.end,
        {
          receivedOn,
          number: row.number,
        },
      );
      fee = perItemFee(prior, units);
    }
    if (fee.amount === 0) {
      throw validationError(
        [{ field: "units", message: `按规定不收费：${fee.explanation}` }],
        "按《政府信息公开信息处理费管理办法》计算，该申请不需要收费。",
      );
    }
    return {
      patch: {
        status: "fee_pending",
        fee_basis: basis,
        fee_units: units,
        fee_amount: fee.amount,
        fee_explanation: fee.explanation,
        fee_served_on: servedOn,
      },
      event: {
        kind: "fee_noticed",
        on: servedOn,
        public: true,
        note: `本机关于${formatChineseDate(servedOn)}向您发出收费通知，应缴信息处理费${fee.amount}元（${FEE_BASES[basis]}，${feeMonth(receivedOn)}）。`,
        data: { basis, units, amount: fee.amount },
      },
      audit: `发出收费通知（${FEE_BASES[basis]}，${fee.amount}元）`,
      notice: {
        kind: "fee",
        on: servedOn,
        values: (report) => {
          const payment = report.deadlines.find((d) => d.kind === "payment");
          return {
            收费方式: FEE_BASES[basis],
            收费说明: fee.explanation,
            收费金额: String(fee.amount),
            缴费期限: payment?.due ? formatChineseDate(payment.due) : "",
          };
        },
      },
    };
  });
}

export async function recordPayment(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { paidOn: unknown; amount?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["fee_pending"], "登记缴费");
    const paidOn = stepDate("paidOn", input.paidOn, {
      min: row.fee_served_on,
      max: today,
      minLabel: "收费通知送达之日",
    });
    const amount =
      input.amount === undefined || (typeof input.amount === "string" && input.amount.trim() === "")
        ? row.fee_amount
        : wholeNumber(input.amount);
    if (!Number.isInteger(amount) || (amount as number) < 0 || (amount as number) > 2_000_000_000)
      throw validationError([{ field: "amount", message: "缴费金额应为整数（元）" }]);
    // 109号: only the full amount notified is a payment; less leaves the fee unpaid (and the clock stopped).
    if ((amount as number) < (row.fee_amount ?? 0))
      throw validationError([
        {
          field: "amount",
          message: `缴费金额少于收费通知的${row.fee_amount}元：足额缴纳后才能登记缴费；期限内未足额缴纳的，视为放弃申请`,
        },
      ]);
    return {
      patch: { status: "processing", fee_paid_on: paidOn, fee_paid_amount: amount },
      event: {
        kind: "fee_paid",
        on: paidOn,
        public: true,
        note: `本机关确认您已于${formatChineseDate(paidOn)}缴纳信息处理费。`,
      },
      audit: `登记缴费${amount}元`,
    };
  });
}

/** 109号: no payment within 20 working days from the day after service → deemed withdrawn; （六）2. */
export async function lapseFee(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { on?: unknown } = {},
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today, before }) => {
    requireStatus(row, ["fee_pending"], "按逾期未缴费处理");
    const on = input.on ? stepDate("on", input.on, { max: today }) : today;
    const payment = before.deadlines.find((d) => d.kind === "payment");
    if (!payment?.due || compareDates(on, payment.due) <= 0) {
      throw new AppError(
        "info_request_period_not_ended",
        `缴费期限至${payment?.due ? formatChineseDate(payment.due) : "—"}（送达次日起${PAYMENT_WORKING_DAYS}个工作日），期限届满后才能按视为放弃申请处理。`,
      );
    }
    return conclude(row, "fee_lapsed", "other_fee_unpaid", on, null, {
      kind: "fee_lapsed",
      note: `您未在缴费期限（${formatChineseDate(payment.due)}）内缴纳信息处理费，视为放弃申请，本机关不再处理该申请。`,
      audit: "逾期未缴费，视为放弃申请",
    });
  });
}
