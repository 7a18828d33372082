/**
 * @module When an application counts as received (条例第31条). The receipt date starts every time limit, so it is
 * derived from the channel and the sign-for or confirmation event, never typed in freely.
 */
import type { Channel } from "./info-request.ts";

export interface ReceiptFacts {
  channel: Channel;
  /** The day the application was handed in, entered online, or reached the office. */
  submittedOn: string;
  /** Post: the day the office signed for the item (挂号信、快递等需签收的邮件). */
  signedForOn?: string | null;
  /** Post without signature (平常信函), internet, fax, e-mail, hotline: the day both sides confirmed receipt. */
  confirmedOn?: string | null;
}

export interface ReceiptDate {
  /** The legal receipt date, or null while the confirmation is outstanding. */
  receivedOn: string | null;
  /** Chinese explanation with the article. */
  basis: string;
  /** What is still needed when receivedOn is null. */
  waitingFor?: "confirmation" | "sign_for";
}

/**
 * 条例第31条: (一) 当面提交 — the day of submission; (二) 邮寄 — the day the office signs for it; an ordinary letter
 * needing no signature is confirmed with the applicant on the day it arrives and the confirmation day counts;
 * (三) 互联网渠道或者传真 — the day both sides confirm (双方确认之日). E-mail and hotline transfers are data
 * messages through an internet channel: (三) applies.
 */
export function receiptDate(f: ReceiptFacts): ReceiptDate {
  switch (f.channel) {
    case "in_person":
      return {
        receivedOn: f.submittedOn,
        basis: "当面提交，以提交之日为收到申请之日（条例第三十一条第（一）项）",
      };
    case "oral":
      return {
        receivedOn: f.submittedOn,
        basis:
          "口头提出、由工作人员代为填写（条例第二十九条），以提出之日为收到申请之日（条例第三十一条第（一）项）",
      };
    case "post":
      if (f.signedForOn)
        return {
          receivedOn: f.signedForOn,
          basis: "邮寄提交，以本机关签收之日为收到申请之日（条例第三十一条第（二）项）",
        };
      if (f.confirmedOn)
        return {
          receivedOn: f.confirmedOn,
          basis: "平常信函无需签收，以与申请人确认之日为收到申请之日（条例第三十一条第（二）项）",
        };
      return {
        receivedOn: null,
        basis: "邮寄申请尚未签收或确认（条例第三十一条第（二）项）",
        waitingFor: "sign_for",
      };
    case "online":
    case "fax":
    case "email":
    case "hotline":
      if (f.confirmedOn)
        return {
          receivedOn: f.confirmedOn,
          basis: `通过${f.channel === "fax" ? "传真" : "互联网渠道"}提交，以双方确认之日为收到申请之日（条例第三十一条第（三）项）`,
        };
      return {
        receivedOn: null,
        basis: "尚待双方确认收到申请，确认之日为收到申请之日（条例第三十一条第（三）项）",
        waitingFor: "confirmation",
      };
  }
}

/** Whether an application through this channel waits for a confirmation event before its clock starts. */
export function needsConfirmation(channel: Channel): boolean {
  return channel === "online" || channel === "fax" || channel === "email" || channel === "hotline";
}
