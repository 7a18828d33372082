/**
 * @module Synthetic corpus for the search benchmark (src/portal/search.bench.ts): N published records with
 * realistic Chinese titles and bodies (500–2000 characters) generated from word lists, deterministic (seeded),
 * inserted with the bulk loader (publishing/record-bulk.ts) into the same `records` columns the publishing feature
 * fills, so the search columns and their indexes are the real ones. Not used by the application.
 */
import type { Db } from "../db/database.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "../publishing/record-bulk.ts";
import { bodyText } from "../publishing/record-html.ts";

/** Deterministic pseudo-random numbers (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  "就业",
  "社会保险",
  "养老保险",
  "失业保险",
  "工伤保险",
  "医疗保险",
  "创业担保贷款",
  "职业技能培训",
  "人才引进",
  "劳动关系",
  "根治欠薪",
  "公益性岗位",
  "高校毕业生就业",
  "农民工工资支付",
  "技能人才评价",
  "社保卡",
  "人事考试",
  "事业单位公开招聘",
  "劳动人事争议仲裁",
  "就业困难人员援助",
];
const ACTIONS = ["做好", "开展", "进一步加强", "规范", "落实", "调整", "推进", "完善", "组织实施", "深化"];
const SUFFIXES = [
  "工作的通知",
  "工作的实施意见",
  "管理办法",
  "专项行动方案",
  "有关事项的公告",
  "情况的公示",
  "工作要点",
  "若干措施",
];
const GENRES = ["通知", "公告", "公示", "办法", "意见", "方案", "报告", "解读"];
const TOPICS = ["劳动、人事、监察", "社会保障", "劳动就业", "综合政务", "财政、审计"];
const SENTENCES = [
  "为认真贯彻落实党中央、国务院和上级人力资源社会保障部门的决策部署，结合本地实际，现就有关事项通知如下。",
  "各单位要充分认识做好此项工作的重要意义，切实加强组织领导，明确责任分工，确保各项任务落到实处。",
  "符合条件的参保人员可通过政务服务网、社保卡服务窗口或12333热线申请办理，实行“免申即享”。",
  "对吸纳就业困难人员的用人单位，按规定给予社会保险补贴和岗位补贴，补贴期限最长不超过三年。",
  "企业职工基本养老保险待遇资格认证采取线上与线下相结合的方式，参保人员可自主选择认证渠道。",
  "城乡居民基本养老保险基础养老金标准按规定调整，所需资金由各级财政按比例分担。",
  "失业保险稳岗返还政策继续实施，中小微企业返还比例最高不超过上年度实际缴纳失业保险费的60%。",
  "用人单位应当依法与劳动者订立书面劳动合同，按时足额支付劳动报酬，不得无故拖欠。",
  "加大人才引进力度，对引进的高层次人才给予安家补贴、生活补贴和科研经费支持。",
  "职业技能培训补贴实行先培训后补贴，培训合格并取得职业技能等级证书的，按规定给予补贴。",
  "各级劳动保障监察机构要畅通投诉举报渠道，依法查处拖欠农民工工资等违法行为。",
  "公益性岗位开发管理坚持“总量控制、按需设岗、以岗定人”的原则，严格履行公示程序。",
  "高校毕业生、退役军人、农民工等重点群体就业创业工作要统筹推进，做到应帮尽帮。",
  "创业担保贷款额度最高不超过30万元，符合条件的个人和小微企业可按规定享受财政贴息。",
  "劳动人事争议仲裁委员会应当自受理仲裁申请之日起四十五日内结束，案情复杂的可以延期。",
  "社会保险缴费基数上下限按照上年度全口径城镇单位就业人员平均工资的60%和300%确定。",
  "请各地于规定时间前将工作进展情况和有关数据报送至市人力资源和社会保障局。",
  "本通知自印发之日起施行，此前有关规定与本通知不一致的，以本通知为准。",
  "对在工作中弄虚作假、骗取补贴资金的，依法依规追回资金并严肃追究相关责任。",
  "进一步优化经办服务流程，压缩办理时限，推动更多事项实现“一网通办”和“跨省通办”。",
];
/** A phrase that occurs in very few records (the rare query). */
export const RARE_PHRASE = "鄂伦春自治旗猎民";
/** One record in RARE_EVERY carries the rare phrase. */
const RARE_EVERY = 2000;

export interface CorpusAgency {
  id: string;
  slug: string;
  name: string;
  /** Published catalog items (id and stable key) to file the records under. */
  items: { id: string; stableKey: string }[];
}

export interface CorpusRecord {
  agencyId: string;
  indexNo: string;
  title: string;
  summary: string;
  issuingAgency: string;
  docNumber: string;
  publishedDate: string;
  topic: string;
  genre: string;
  keywords: string;
  validity: string | null;
  itemId: string | null;
  itemStableKey: string | null;
  bodyHtml: string;
  bodyText: string;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function isoDate(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

/** N records spread round-robin over the agencies, published between 2019-01-01 and 2026-11-20. */
export function generateCorpus(n: number, agencies: CorpusAgency[], seed = 20261123): CorpusRecord[] {
  const r = seededRandom(seed);
  const first = Date.UTC(2019, 0, 1) / 86_400_000;
  const last = Date.UTC(2026, 10, 20) / 86_400_000;
  const serials = new Map<string, number>();
  const out: CorpusRecord[] = [];
  for (let i = 0; i < n; i++) {
    const agency = agencies[i % agencies.length] as CorpusAgency;
    const published = isoDate(first + Math.floor(r() * (last - first + 1)));
    const year = published.slice(0, 4);
    const key = `${agency.id}/${year}`;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    const subject = pick(r, SUBJECTS);
    const title = `关于${pick(r, ACTIONS)}${year}年${subject}${pick(r, SUFFIXES)}（第${1 + (i % 97)}号）`;
    const targetLength = 500 + Math.floor(r() * 1501);
    const paragraphs: string[] = ["各有关单位："];
    let length = 6;
    while (length < targetLength) {
      const p = `${pick(r, SENTENCES)}${subject}相关工作截至${published.slice(5, 7)}月累计惠及${Math.floor(r() * 90_000) + 100}人次，${pick(r, SENTENCES)}`;
      paragraphs.push(p);
      length += p.length;
    }
    if (i % RARE_EVERY === 7) paragraphs.splice(1, 0, `${RARE_PHRASE}转产就业帮扶情况另行通报。`);
    paragraphs.push(
      agency.name,
      `${year}年${Number(published.slice(5, 7))}月${Number(published.slice(8, 10))}日`,
    );
    const bodyHtml = paragraphs.map((p) => `<p>${p}</p>`).join("\n");
    const item = agency.items.length ? pick(r, agency.items) : undefined;
    const genre = pick(r, GENRES);
    out.push({
      agencyId: agency.id,
      indexNo: `BENCH-${agency.slug.toUpperCase()}/${year}-${String(serial).padStart(5, "0")}`,
      title,
      summary: `${agency.name}关于${subject}的有关事项。`,
      issuingAgency: agency.name,
      docNumber: r() < 0.6 ? `人社发〔${year}〕${serial}号` : "",
      publishedDate: published,
      topic: pick(r, TOPICS),
      genre,
      keywords: [subject, pick(r, SUBJECTS)].join(","),
      validity: genre === "办法" || genre === "意见" ? (r() < 0.8 ? "有效" : "失效") : null,
      itemId: item?.id ?? null,
      itemStableKey: item?.stableKey ?? null,
      bodyHtml,
      bodyText: bodyText(bodyHtml),
    });
  }
  return out;
}

/**
 * Inserts the records as published (revision 1) through the bulk loader (publishing/record-bulk.ts: COPY over
 * `lanes` connections, search columns computed in TypeScript), dropping the GIN index during the load and
 * re-creating it from its own definition afterwards.
 */
export async function insertCorpus(
  db: Db,
  records: CorpusRecord[],
  batchSize = 1000,
  lanes = 2,
): Promise<void> {
  const batches: BulkRecord[][] = [];
  for (let i = 0; i < records.length; i += batchSize)
    batches.push(
      records.slice(i, i + batchSize).map((x) => ({
        agencyId: x.agencyId,
        indexNo: x.indexNo,
        title: x.title,
        summary: x.summary,
        issuingAgency: x.issuingAgency,
        docNumber: x.docNumber,
        publishedDate: x.publishedDate,
        topic: x.topic,
        genre: x.genre,
        keywords: x.keywords.split(","),
        validity: x.validity as BulkRecord["validity"],
        itemId: x.itemId,
        itemStableKey: x.itemStableKey,
        bodyHtml: x.bodyHtml,
        bodyText: x.bodyText,
      })),
    );
  await bulkLoadPublishedRecords(db, batches, { lanes, rebuildIndexes: true });
}
