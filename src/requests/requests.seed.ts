/**
 * @module Demo applications (依申请公开) for the four seed agencies: about seventeen per agency spread over the 24
 * months before `deps.clock.today()`, built through the real services (so deadlines, notices, events and audit
 * entries are all genuine): every channel, several applicant types, 补正 (answered and lapsed), a third-party
 * consultation, an extension, fee notices (paid and lapsed), various outcomes, review and litigation cases, and a
 * few still open (one awaiting confirmation, one in 补正, one due soon). Idempotent: an agency that already has
 * applications is skipped. Needs the encryption key (personal data is encrypted); without it nothing is seeded.
 */

import { type Actor, systemActor } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import { DEMO_AGENCIES } from "../agencies/demo-agencies.ts";
import { addMonthsClamped, compareDates } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { getGuideProfile, updateGuideProfile } from "../guide/index.ts";
import { fixedClock } from "../shared/clock.ts";
import { creditCodeCheckChar, residentIdCheckChar } from "../shared/identifiers.ts";
import type { ApplicationInput } from "./applicant.rules.ts";
import { issueFeeNotice, lapseFee, recordPayment } from "./fees.service.ts";
import {
  approveExtension,
  confirmReceipt,
  endConsultation,
  lapseCorrection,
  proposeExtension,
  receiveCorrection,
  requestCorrection,
  startConsultation,
} from "./handling.service.ts";
import { listInfoRequests } from "./info-request.repository.ts";
import { calendarForAgency } from "./info-request.service.ts";
import type { ApplicantTypeCode, Channel, InfoRequest } from "./info-request.ts";
import { registerApplication, submitOnlineApplication } from "./intake.service.ts";
import { missingNoticeContact } from "./notices.rules.ts";
import { hasEncryptionKey } from "./personal-data.ts";
import { archiveInfoRequest, recordDelivery, replyToInfoRequest } from "./reply.service.ts";
import { recordCase, updateCaseResult } from "./review-case.service.ts";

export interface RequestSeedResult {
  created: Record<string, number>;
  skipped: string[];
  /** Why nothing was seeded (e.g. no encryption key). */
  note?: string;
}

const HANDLER: Actor = systemActor("演示经办人");
const HEAD: Actor = systemActor("演示政务公开办主任");

const PEOPLE = [
  "张伟",
  "王芳",
  "李娜",
  "刘洋",
  "陈静",
  "杨磊",
  "赵敏",
  "黄强",
  "周婷",
  "吴军",
  "徐丽",
  "孙浩",
];
const ORGS: { type: ApplicantTypeCode; name: string }[] = [
  { type: "commercial", name: "某某人力资源服务有限公司" },
  { type: "research", name: "某某大学劳动经济研究所" },
  { type: "public_interest", name: "某某公益服务中心" },
  { type: "legal_service", name: "某某律师事务所" },
  { type: "other_org", name: "某某村民委员会" },
];

function personId(agencyIndex: number, n: number): string {
  const first17 = `1501021985${String(1 + (n % 12)).padStart(2, "0")}${String(10 + agencyIndex).padStart(2, "0")}${String(100 + n).slice(-3)}`;
  return first17 + residentIdCheckChar(first17);
}

function creditCode(agencyIndex: number, n: number): string {
  const first17 = `91150100MA0${agencyIndex}${String(n).padStart(2, "0")}0A1`.slice(0, 17);
  return first17 + creditCodeCheckChar(first17);
}

function applicant(
  agencyIndex: number,
  n: number,
  org?: number,
): Pick<ApplicationInput, "applicantType" | "name" | "idType" | "idNumber"> {
  if (org !== undefined) {
    const o = ORGS[org % ORGS.length] as (typeof ORGS)[number];
    return {
      applicantType: o.type,
      name: o.name,
      idType: "credit_code",
      idNumber: creditCode(agencyIndex, n),
    };
  }
  return {
    applicantType: "natural_person",
    name: PEOPLE[(n + agencyIndex) % PEOPLE.length] as string,
    idType: "resident_id",
    idNumber: personId(agencyIndex, n),
  };
}

function input(agencyIndex: number, n: number, title: string, org?: number): ApplicationInput {
  return {
    ...applicant(agencyIndex, n, org),
    phone: `139${String(agencyIndex).padStart(2, "0")}${String(100000 + n * 7919).slice(-6)}`,
    email: `demo${agencyIndex}${n}@example.com`,
    address: "内蒙古自治区某市某区某路1号",
    postalCode: "010000",
    infoTitle: title,
    infoDocNumber: "",
    infoDescription: "",
    form: n % 3 === 0 ? "paper" : "electronic",
    delivery: n % 3 === 0 ? "post" : "email",
  };
}

export async function seedDemoRequests(deps: Deps): Promise<RequestSeedResult> {
  const result: RequestSeedResult = { created: {}, skipped: [] };
  if (!hasEncryptionKey(deps.config.encryptionKey)) {
    result.note = "未配置 GONGKAI_ENCRYPTION_KEY，未生成演示申请。";
    return result;
  }
  for (const [index, demo] of DEMO_AGENCIES.entries()) {
    let agency: Agency;
    try {
      agency = await getAgencyBySlug(deps.db, demo.slug);
    } catch {
      continue;
    }
    if ((await listInfoRequests(deps.db, agency.id, { limit: 1 })).length > 0) {
      result.skipped.push(demo.slug);
      continue;
    }
    result.created[demo.slug] = await seedAgency(deps, agency, index);
  }
  return result;
}

/**
 * Notices print the contact details of the agency's 政府信息公开指南 and refuse to be generated without them: the
 * demo fills the empty ones with values marked 演示 (an agency replaces them in its guide).
 */
async function fillDemoGuideContact(deps: Deps, agency: Agency): Promise<void> {
  const guide = await getGuideProfile(deps.db, agency.id);
  const filled = {
    ...guide,
    officeName: guide.officeName || `${agency.name}办公室`,
    officeAddress: guide.officeAddress || `${agency.name}办公楼（演示地址）`,
    phone: guide.phone || "0471-1234567",
    reviewBody: guide.reviewBody || "本级人民政府（演示）",
    court: guide.court || "所在地基层人民法院（演示）",
  };
  if (missingNoticeContact({ ...filled, officePhone: filled.phone }).length > 0) return;
  if (JSON.stringify(filled) === JSON.stringify(guide)) return;
  const { updatedAt: _updatedAt, ...input } = filled;
  await updateGuideProfile(deps, agency.id, input, { actorId: null, actorName: "演示数据", ip: null });
}

async function seedAgency(deps: Deps, agency: Agency, i: number): Promise<number> {
  await fillDemoGuideContact(deps, agency);
  const today = deps.clock.today();
  const calendar = await calendarForAgency(deps, agency);
  const at = (day: string): Deps => ({ ...deps, clock: fixedClock(`${day}T10:00:00+08:00`) });
  /** A working day about `months` months before today (plus `shift` days), never after today. */
  const day = (months: number, shift = 0): string => {
    const d = calendar.nextWorkingDay(addMonthsClamped(today, -months), true).date;
    const moved = shift ? calendar.addWorkingDays(d, shift).date : d;
    return compareDates(moved, today) > 0 ? calendar.previousWorkingDay(today, true).date : moved;
  };
  const wd = (from: string, n: number) => calendar.addWorkingDays(from, n).date;
  let count = 0;
  const register = async (
    on: string,
    n: number,
    title: string,
    channel: Channel = "in_person",
    org?: number,
  ) => {
    count++;
    const d = at(on);
    const extra =
      channel === "post"
        ? { signedForOn: on }
        : channel === "in_person" || channel === "oral"
          ? {}
          : { confirmedOn: on };
    return (
      await registerApplication(d, agency, HANDLER, {
        ...input(i, n, title, org),
        channel,
        submittedOn: on,
        ...extra,
      })
    ).request;
  };
  const reply = (r: InfoRequest, on: string, replyType: string, outcome: string, reasons = "") =>
    replyToInfoRequest(at(on), agency, r.id, r.version, HANDLER, {
      replyType,
      outcome,
      reasons,
      repliedOn: on,
    });
  const deliverAndArchive = async (r: InfoRequest, on: string) => {
    const delivered = await recordDelivery(at(on), agency, r.id, r.version, HANDLER, {
      method: r.delivery,
      deliveredOn: on,
      proof:
        r.delivery === "post" ? `EMS${String(1000000000 + count * 7777).slice(-10)}` : "电子邮件发送记录",
    });
    const archiveOn = wd(on, 5);
    if (compareDates(archiveOn, today) <= 0)
      await archiveInfoRequest(at(archiveOn), agency, r.id, delivered.version, HANDLER, {
        archivedOn: archiveOn,
      });
  };

  // 1. Granted on time, delivered, archived.
  {
    const on = day(23);
    const r = await register(on, 1, "2023年度就业补助资金分配使用情况");
    const replied = await reply(r, wd(on, 12), "art36_2", "granted");
    await deliverAndArchive(replied, wd(on, 13));
  }
  // 2. Online, confirmed the next working day, partly disclosed.
  {
    const on = day(21);
    const { request } = await submitOnlineApplication(
      at(on),
      agency,
      input(i, 2, "某工业园区企业社会保险费缴纳情况"),
    );
    count++;
    const c = await confirmReceipt(at(wd(on, 1)), agency, request.id, request.version, HANDLER, {
      date: wd(on, 1),
    });
    const replied = await reply(
      c,
      wd(on, 15),
      "art37",
      "partially_granted",
      "所申请信息中涉及参保个人身份证号码、缴费基数等个人信息，已作区分处理后提供其余部分（条例第十五条、第三十七条）。",
    );
    await deliverAndArchive(replied, wd(on, 16));
  }
  // 3. By post, 补正 answered, then not held.
  {
    const on = day(19);
    const r = await register(on, 3, "关于某某项目的有关文件", "post");
    const noticeOn = wd(on, 3);
    const c = await requestCorrection(at(noticeOn), agency, r.id, r.version, HANDLER, {
      noticeOn,
      items: "1. 请写明所需文件的名称或文号；\n2. 请写明所涉项目的具体名称和实施年度。",
    });
    const back = wd(noticeOn, 6);
    const b = await receiveCorrection(at(back), agency, r.id, c.version, HANDLER, { receivedOn: back });
    const replied = await reply(b, wd(back, 14), "art36_4", "unavailable_not_held");
    await deliverAndArchive(replied, wd(back, 16));
  }
  // 4. 补正 not answered in time: deemed withdrawn.
  {
    const on = day(17);
    const r = await register(on, 4, "社保相关材料", "email", 0);
    const noticeOn = wd(on, 2);
    const c = await requestCorrection(at(noticeOn), agency, r.id, r.version, HANDLER, {
      noticeOn,
      items: "请明确所需社会保险信息的险种、年度和内容。",
    });
    const lapse = wd(noticeOn, 16);
    await lapseCorrection(at(lapse), agency, r.id, c.version, HANDLER, { on: lapse });
  }
  // 5. Third-party consultation, objection → withheld; administrative review, upheld.
  {
    const on = day(16);
    const r = await register(on, 5, "某劳务派遣公司行政许可申请材料", "in_person", 3);
    const sent = wd(on, 4);
    const s = await startConsultation(at(sent), agency, r.id, r.version, HANDLER, {
      kind: "third_party",
      party: "某某劳务派遣有限公司",
      matters: "申请材料中的财务报表和经营情况",
      sentOn: sent,
    });
    const ended = wd(sent, 12);
    const e = await endConsultation(at(ended), agency, r.id, s.version, HANDLER, {
      endedOn: ended,
      result: "objection",
    });
    const replyOn = wd(ended, 8);
    const replied = await reply(
      e,
      replyOn,
      "art36_3",
      "withheld_third_party",
      "第三方认为所涉财务信息属于商业秘密，不同意公开，理由合理。",
    );
    await recordDelivery(at(replyOn), agency, r.id, replied.version, HANDLER, {
      method: "post",
      deliveredOn: replyOn,
      proof: "挂号信",
    });
    const filed = wd(replyOn, 20);
    const review = await recordCase(at(filed), agency, r.id, HANDLER, {
      kind: "review",
      filedOn: filed,
      body: "本级人民政府",
      caseNumber: `复〔${filed.slice(0, 4)}〕${10 + i}号`,
    });
    const decided = wd(filed, 40);
    if (compareDates(decided, today) <= 0)
      await updateCaseResult(at(decided), agency, review.id, review.version, HANDLER, {
        result: "upheld",
        concludedOn: decided,
      });
  }
  // 6. Extension approved by the office head, then granted.
  {
    const on = day(14);
    const r = await register(on, 6, "近三年职业技能提升补贴发放情况汇总");
    const p = await proposeExtension(at(wd(on, 15)), agency, r.id, r.version, HANDLER, {
      days: 15,
      reason: "所需信息分散于三个年度的档案，需要调阅整理",
    });
    const a = await approveExtension(at(wd(on, 16)), agency, r.id, p.version, HEAD, {
      approvedOn: wd(on, 16),
    });
    const replied = await reply(a, wd(on, 30), "art36_2", "granted");
    await deliverAndArchive(replied, wd(on, 31));
  }
  // 7. Fee notice (按量, 120 pages), paid, granted.
  {
    const on = day(12);
    const r = await register(on, 7, "某年度工伤认定决定书汇编（纸质复印）", "in_person", 1);
    const served = wd(on, 5);
    const f = await issueFeeNotice(at(served), agency, r.id, r.version, HANDLER, {
      basis: "per_page",
      units: 120,
      servedOn: served,
    });
    const paid = wd(served, 6);
    const p = await recordPayment(at(paid), agency, r.id, f.version, HANDLER, { paidOn: paid });
    const replied = await reply(p, wd(paid, 5), "art36_2", "granted");
    await deliverAndArchive(replied, wd(paid, 6));
  }
  // 8. Fee notice not paid: deemed withdrawn.
  {
    const on = day(11);
    const r = await register(on, 8, "全市养老保险待遇领取人员花名册（纸质复印）", "post", 2);
    const served = wd(on, 6);
    const f = await issueFeeNotice(at(served), agency, r.id, r.version, HANDLER, {
      basis: "per_page",
      units: 300,
      servedOn: served,
    });
    const lapse = wd(served, 21);
    await lapseFee(at(lapse), agency, r.id, f.version, HANDLER, { on: lapse });
  }
  // 9. Process information withheld; direct lawsuit, still pending.
  {
    const on = day(9);
    const r = await register(on, 9, "某次局党组会议关于机构调整的讨论记录");
    await reply(
      r,
      wd(on, 10),
      "art36_3",
      "withheld_process_information",
      "所申请的会议讨论记录属于过程性信息。",
    );
    const filed = wd(wd(on, 10), 30);
    if (compareDates(filed, today) <= 0)
      await recordCase(at(filed), agency, r.id, HANDLER, {
        kind: "litigation_direct",
        filedOn: filed,
        body: "某某区人民法院",
        caseNumber: "行初字第1号",
      });
  }
  // 10. A complaint dressed as an application.
  {
    const on = day(7);
    const r = await register(on, 10, "要求查处某某公司拖欠工资问题", "hotline");
    await reply(
      r,
      wd(on, 5),
      "art39_1",
      "not_processed_petition",
      "您反映的问题已转劳动保障监察机构依法处理。",
    );
  }
  // 11. The same applicant as no. 1 asks again for the same information.
  {
    const on = day(5);
    const r = await register(on, 1, "2023年度就业补助资金分配使用情况");
    await reply(r, wd(on, 6), "art36_6", "not_processed_repeated");
  }
  // 12. Already published: the reply points to where it is.
  {
    const on = day(3);
    const r = await register(on, 12, "本年度城乡居民基本养老保险缴费档次标准", "oral");
    const replied = await reply(
      r,
      on,
      "art36_1",
      "granted",
      "该信息已在本机关政府信息公开专栏“社会保险”栏目公开。",
    );
    await deliverAndArchive(replied, on);
  }
  // 13. Organisation applicant via hotline, granted.
  {
    const on = day(20);
    const r = await register(on, 13, "本地区失业保险稳岗返还政策执行情况", "hotline", 4);
    await reply(r, wd(on, 9), "art36_2", "granted");
  }
  // 14. Needs creation of new information.
  {
    const on = day(15);
    const r = await register(on, 14, "按乡镇统计的近五年就业困难人员认定人数对比分析");
    await reply(r, wd(on, 12), "art38", "unavailable_needs_creation");
  }
  // 15–17. Still open: in 补正, due soon, and an online application awaiting confirmation.
  {
    const on = calendar.addWorkingDays(today, -4).date;
    const r = await register(on, 15, "有关补贴的文件");
    await requestCorrection(at(wd(on, 2)), agency, r.id, r.version, HANDLER, {
      noticeOn: wd(on, 2),
      items: "请写明补贴的名称和所需文件的年度。",
    });
  }
  await register(calendar.addWorkingDays(today, -17).date, 16, "本年度公益性岗位开发和人员安置情况");
  {
    const on = calendar.previousWorkingDay(today, true).date;
    await submitOnlineApplication(at(on), agency, input(i, 17, "本年度高校毕业生就业见习补贴发放情况"));
    count++;
  }
  return count;
}
