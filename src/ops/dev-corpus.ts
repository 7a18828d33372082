/**
 * @module Synthetic but realistic corpus — the one generator of `gongkai dev generate`, the 1M-record search benchmark
 * (portal/search-scale.bench.ts), the 20,000-record search benchmark (portal/search.bench.ts) and the page-serving
 * benchmark (portal/page-serving.bench.ts): agencies of
 * a generated province, published records (Chinese titles and bodies from word lists, 文号, 索引号, 关键词, dates over
 * years in ascending order, catalog items, validity) and applications with outcomes. Deterministic for a seed.
 * Word frequencies are uneven on purpose: some words occur in most records, some in a few percent, and
 * RARE_WORDS in about one record in RARE_EVERY, so every class of search query has real data behind it.
 */

import type { BulkRecord } from "../publishing/record-bulk.ts";
import { seededRandom } from "../shared/random.ts";

export const CITIES = [
  "青山",
  "白河",
  "东川",
  "西岭",
  "南湖",
  "北沙",
  "临江",
  "长宁",
  "安平",
  "永和",
  "丰泽",
  "清源",
  "金城",
  "玉泉",
  "石桥",
  "柳林",
  "松原",
  "桃源",
  "鹤岗",
  "云梦",
];

/** Departments: name, short code for 文号, and the subjects they publish on. */
export const DEPARTMENTS: readonly { name: string; code: string; subjects: readonly string[] }[] = [
  {
    name: "人力资源和社会保障局",
    code: "人社",
    subjects: [
      "就业",
      "社会保险",
      "养老保险",
      "失业保险",
      "工伤保险",
      "职业技能培训",
      "劳动关系",
      "根治欠薪",
    ],
  },
  {
    name: "医疗保障局",
    code: "医保",
    subjects: ["医疗保险", "医保", "异地就医", "药品集中采购", "长期护理保险"],
  },
  {
    name: "民政局",
    code: "民",
    subjects: ["最低生活保障", "低保", "特困人员供养", "养老服务", "社会救助", "婚姻登记"],
  },
  {
    name: "住房和城乡建设局",
    code: "建",
    subjects: ["住房公积金", "保障性住房", "老旧小区改造", "建筑市场", "物业管理"],
  },
  { name: "教育局", code: "教", subjects: ["义务教育", "学前教育", "招生入学", "教师招聘", "学生资助"] },
  {
    name: "卫生健康委员会",
    code: "卫健",
    subjects: ["公共卫生", "疫苗接种", "基层医疗", "妇幼健康", "食品安全"],
  },
  { name: "退役军人事务局", code: "退役", subjects: ["退役军人", "优抚对象", "安置就业", "褒扬纪念"] },
  {
    name: "市场监督管理局",
    code: "市监",
    subjects: ["市场主体登记", "食品安全", "价格监督", "特种设备", "知识产权"],
  },
  { name: "交通运输局", code: "交", subjects: ["道路运输", "公共交通", "农村公路", "出租汽车", "交通安全"] },
  {
    name: "生态环境局",
    code: "环",
    subjects: ["大气污染防治", "水污染防治", "环境影响评价", "排污许可", "生态保护"],
  },
];

const ACTIONS = [
  "做好",
  "开展",
  "进一步加强",
  "规范",
  "落实",
  "调整",
  "推进",
  "完善",
  "组织实施",
  "深化",
  "公布",
  "印发",
];
const SUFFIXES = [
  "工作的通知",
  "工作的实施意见",
  "管理办法",
  "专项行动方案",
  "有关事项的公告",
  "情况的公示",
  "工作要点",
  "若干措施",
  "实施细则",
  "工作总结",
];
const GENRES = ["通知", "公告", "公示", "办法", "意见", "方案", "报告", "解读"];
const TOPICS = [
  "劳动、人事、监察",
  "社会保障",
  "劳动就业",
  "综合政务",
  "财政、审计",
  "城乡建设、环境保护",
  "卫生、体育",
];
const SENTENCES = [
  "为认真贯彻落实党中央、国务院和上级部门的决策部署，结合本地实际，现就有关事项通知如下。",
  "各单位要充分认识做好此项工作的重要意义，切实加强组织领导，明确责任分工，确保各项任务落到实处。",
  "符合条件的人员可通过政务服务网、服务窗口或12345热线申请办理，实行“免申即享”。",
  "对吸纳就业困难人员的用人单位，按规定给予社会保险补贴和岗位补贴，补贴期限最长不超过三年。",
  "企业职工基本养老保险待遇资格认证采取线上与线下相结合的方式，参保人员可自主选择认证渠道。",
  "城乡居民基本养老保险基础养老金标准按规定调整，所需资金由各级财政按比例分担。",
  "用人单位应当依法与劳动者订立书面劳动合同，按时足额支付劳动报酬，不得无故拖欠。",
  "加大人才引进力度，对引进的高层次人才给予安家补贴、生活补贴和科研经费支持。",
  "各级执法机构要畅通投诉举报渠道，依法查处各类违法违规行为，维护群众合法权益。",
  "请各地于规定时间前将工作进展情况和有关数据报送至市政府办公室。",
  "本通知自印发之日起施行，此前有关规定与本通知不一致的，以本通知为准。",
  "对在工作中弄虚作假、骗取补贴资金的，依法依规追回资金并严肃追究相关责任。",
  "进一步优化经办服务流程，压缩办理时限，推动更多事项实现“一网通办”和“跨省通办”。",
  "坚持以人民为中心的发展思想，统筹发展和安全，守住民生底线。",
  "有关单位要加强政策宣传解读，及时回应社会关切，营造良好舆论氛围。",
  "资金使用情况接受审计监督和社会监督，每年向社会公开一次。",
  "申请材料包括申请表、身份证明和相关证明材料，材料不全的一次性告知需要补正的全部内容。",
  "各县（市、区）要建立工作台账，实行清单化管理，定期调度工作进展。",
  "如对本决定不服，可以自收到之日起六十日内依法申请行政复议。",
  "联系电话及办公地址在政府门户网站政务公开专栏同步公布。",
];
/**
 * Words of a few percent of the records (a "medium" query): each in ~0.6 % of the records, inside a sentence that
 * is in ~3 % (its tail 按原规定执行 is the 3 % word of the search-scale benchmark).
 */
const MEDIUM = ["公积金贷款", "义务教育阶段", "农村公路养护", "排污许可证", "长期护理"];
/** Words of about one record in RARE_EVERY. */
export const RARE_WORDS = ["鄂伦春自治旗猎民", "滩涂养殖权证", "古树名木挂牌", "耘鳞"];
export const RARE_EVERY = 5000;

/**
 * Text the corpus is written from (titles' words, subjects, sentences, medium and rare words): what a user of the
 * generated portal would type, for benchmarks that draw queries at random (portal/search-random.bench-queries.ts).
 */
export function corpusVocabulary(): string[] {
  return [
    ...ACTIONS,
    ...SUFFIXES,
    ...DEPARTMENTS.flatMap((d) => [d.name, ...d.subjects]),
    ...SENTENCES,
    ...MEDIUM,
    ...RARE_WORDS,
    ...CITIES,
  ];
}

export interface CorpusAgency {
  id: string;
  name: string;
  /** 文号 prefix, e.g. 青人社. */
  docPrefix: string;
  /** 索引号 prefix, unique per agency. */
  indexPrefix: string;
  subjects: readonly string[];
  /** Published catalog items to file the records under. */
  items: readonly { id: string; stableKey: string }[];
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function isoDate(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

export interface CorpusOptions {
  records: number;
  agencies: readonly CorpusAgency[];
  seed?: number;
  /** First and last published date (YYYY-MM-DD); records are spread evenly, oldest first. */
  from?: string;
  to?: string;
  batchSize?: number;
  /** One record in this many carries one of RARE_WORDS (default RARE_EVERY; a small corpus wants fewer). */
  rareEvery?: number;
}

/**
 * A corpus agency for an agency that already exists (the benchmarks' demo agencies): 文号 and 索引号 prefixes from its
 * slug, the subjects of a department (default 人力资源和社会保障局), its published catalog items.
 */
export function existingCorpusAgency(
  a: { id: string; slug: string; name: string },
  items: readonly { id: string; stableKey: string }[],
  department = 0,
): CorpusAgency {
  const d = DEPARTMENTS[department % DEPARTMENTS.length] as (typeof DEPARTMENTS)[number];
  const prefix = a.slug.split("-")[0] ?? a.slug;
  return {
    id: a.id,
    name: a.name,
    docPrefix: `${prefix.slice(0, 1).toUpperCase()}${d.code}`,
    indexPrefix: `GEN-${a.slug.toUpperCase()}`,
    subjects: d.subjects,
    items,
  };
}

/**
 * Records in batches, in ascending published date (the order a history is imported and new records arrive, so the
 * table's physical order follows the date). 索引号 serials count per agency and year.
 */
export function* generateRecords(o: CorpusOptions): Generator<BulkRecord[]> {
  const r = seededRandom(o.seed ?? 20261204);
  const first = Date.parse(`${o.from ?? "2012-01-01"}T00:00:00Z`) / 86_400_000;
  const last = Date.parse(`${o.to ?? "2026-11-30"}T00:00:00Z`) / 86_400_000;
  const serials = new Map<string, number>();
  const size = o.batchSize ?? 2000;
  let batch: BulkRecord[] = [];
  for (let i = 0; i < o.records; i++) {
    const agency = o.agencies[Math.floor(r() * o.agencies.length)] as CorpusAgency;
    const published = isoDate(first + Math.floor(((last - first + 1) * i) / Math.max(1, o.records)));
    const year = published.slice(0, 4);
    const key = `${agency.id}/${year}`;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    const subject = pick(r, agency.subjects);
    const genre = pick(r, GENRES);
    const title = `关于${pick(r, ACTIONS)}${year}年度${subject}${pick(r, SUFFIXES)}`;
    const target = 400 + Math.floor(r() * 1400);
    const paragraphs: string[] = ["各有关单位："];
    let length = 6;
    while (length < target) {
      const p = `${pick(r, SENTENCES)}${subject}相关工作截至${Number(published.slice(5, 7))}月累计惠及${Math.floor(r() * 90_000) + 100}人次。${pick(r, SENTENCES)}`;
      paragraphs.push(p);
      length += p.length;
    }
    if (r() < 0.03) paragraphs.splice(1, 0, `关于${pick(r, MEDIUM)}的有关要求，按原规定执行。`);
    if (r() < 1 / (o.rareEvery ?? RARE_EVERY))
      paragraphs.splice(1, 0, `${pick(r, RARE_WORDS)}有关情况另行通报。`);
    paragraphs.push(
      agency.name,
      `${year}年${Number(published.slice(5, 7))}月${Number(published.slice(8, 10))}日`,
    );
    const item = agency.items.length ? pick(r, agency.items) : undefined;
    batch.push({
      agencyId: agency.id,
      indexNo: `${agency.indexPrefix}/${year}-${String(serial).padStart(5, "0")}`,
      title,
      summary: `${agency.name}关于${subject}的有关事项。`,
      issuingAgency: agency.name,
      docNumber: r() < 0.6 ? `${agency.docPrefix}发〔${year}〕${serial}号` : "",
      publishedDate: published,
      topic: pick(r, TOPICS),
      genre,
      keywords: [subject, pick(r, agency.subjects)],
      validity:
        genre === "办法" || genre === "意见" ? (r() < 0.8 ? "有效" : r() < 0.5 ? "失效" : "废止") : null,
      itemId: item?.id ?? null,
      itemStableKey: item?.stableKey ?? null,
      bodyHtml: paragraphs.map((p) => `<p>${p}</p>`).join("\n"),
      // record-html.ts bodyText of that HTML (paragraphs on their own lines), without parsing it again.
      bodyText: paragraphs.join("\n"),
    });
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The agencies of a generated province: city × department, round-robin. */
export function agencyNames(
  n: number,
): { name: string; shortName: string; docPrefix: string; dept: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const city = CITIES[i % CITIES.length] as string;
    const dept = Math.floor(i / CITIES.length) % DEPARTMENTS.length;
    const round = Math.floor(i / (CITIES.length * DEPARTMENTS.length));
    const d = DEPARTMENTS[dept] as (typeof DEPARTMENTS)[number];
    const name = `${city}${round ? `第${round + 1}` : ""}市${d.name}`;
    return { name, shortName: `${city}${d.code}`, docPrefix: `${city.slice(0, 1)}${d.code}`, dept };
  });
}

const INFO_TITLES = [
  "本单位2023年度部门预算及决算",
  "某项目的环境影响评价文件",
  "征收补偿方案及补偿标准",
  "某企业的行政处罚决定书",
  "低保对象名单及审批依据",
  "某路段改造工程的招标文件",
  "住房公积金缴存基数调整依据",
  "某学校招生计划",
];
export const OUTCOMES = [
  "granted",
  "granted",
  "granted",
  "partially_granted",
  "unavailable_not_held",
  "unavailable_needs_creation",
  "withheld_third_party",
  "withheld_process_information",
  "not_processed_repeated",
  "other_not_corrected",
] as const;

export interface GeneratedApplication {
  agencyId: string;
  receivedOn: string;
  concludedOn: string;
  infoTitle: string;
  outcome: (typeof OUTCOMES)[number];
  channel: "online" | "in_person" | "post";
  name: string;
  idNumber: string;
  phone: string;
}

/** Concluded applications spread over the years, with outcomes in realistic proportions. */
export function* generateApplications(
  k: number,
  agencies: readonly { id: string }[],
  seed = 20261205,
  from = "2019-01-01",
  to = "2026-10-31",
): Generator<GeneratedApplication> {
  const r = seededRandom(seed);
  const first = Date.parse(`${from}T00:00:00Z`) / 86_400_000;
  const last = Date.parse(`${to}T00:00:00Z`) / 86_400_000;
  const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
  for (let i = 0; i < k; i++) {
    const day = first + Math.floor(((last - first) * i) / Math.max(1, k));
    const idDigits = String(100000000000000000 + Math.floor(r() * 8.99e17)).slice(0, 17);
    yield {
      agencyId: (agencies[Math.floor(r() * agencies.length)] as { id: string }).id,
      receivedOn: isoDate(day),
      concludedOn: isoDate(day + 5 + Math.floor(r() * 20)),
      infoTitle: pick(r, INFO_TITLES),
      outcome: pick(r, OUTCOMES),
      channel: pick(r, ["online", "online", "in_person", "post"] as const),
      name: `${surnames[Math.floor(r() * surnames.length)]}${pick(r, ["伟", "芳", "娜", "敏", "强", "磊", "洋", "静"])}`,
      idNumber: `${idDigits}X`,
      phone: `13${String(Math.floor(r() * 1e9)).padStart(9, "0")}`,
    };
  }
}
