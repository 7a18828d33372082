/**
 * @module The plan of the demo records: one profile per seed agency (place, 发文字号 prefix, 索引号 template, catalog
 * items by role) and, deterministically (seeded pseudo-random numbers), the records of one agency from `today` back
 * 24 months with the state each should reach. Pure data; publishing.seed.ts carries it out through the services.
 */

import { addMonthsClamped, compareDates, periodOf } from "../calendar/index.ts";
import { seededRandom } from "../shared/random.ts";
import type { ContentInput } from "./record.service.ts";
import type { DocCategory } from "./record.table.ts";

/** Monthly series (and their obligations) cover the last 18 months, to keep seeding fast. */
export const MONTHLY_MONTHS = 18;
/** Deterministic pseudo-random numbers (mulberry32) so every run seeds the same data. */
function rng(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  return seededRandom(h);
}

export interface Profile {
  slug: string;
  /** Place name used in titles (市/旗). */
  place: string;
  /** 发文字号 prefix, e.g. 聊人社发. */
  docPrefix: string;
  template: string;
  /** Catalog item ids (seed numbering) by role. */
  items: Record<string, string>;
}

export const PROFILES: Profile[] = [
  {
    slug: "qi-hrss",
    place: "全旗",
    docPrefix: "旗人社发",
    template: "{CODE}/{YYYY}-{NNNNN}",
    items: {
      normative: "1.2",
      policy: "1.4",
      interpretation: "1.5",
      licensing: "7.1",
      penalty: "10.1.1",
      subsidyQuarterly: "11.3",
      budget: "12.1.1",
      finalAccounts: "12.1.2",
      insurance: "14.2",
      jobs: "14.3",
      annualReport: "17.1",
      bidding: "13.1",
    },
  },
  {
    slug: "zalantun-hrss",
    place: "全市",
    docPrefix: "扎人社发",
    template: "{CODE}/{YYYY}-{NNNNN}",
    items: {
      guide: "3.1",
      annualReport: "3.2",
      policy: "4.1",
      interpretation: "4.2",
      normative: "5.1.1",
      budget: "6.1.1",
      jobs: "7.1.1",
      insurance: "7.2.1",
    },
  },
  {
    slug: "liaocheng-hrss",
    place: "全市",
    docPrefix: "聊人社发",
    // 年月 variant of the 后段码 (legal-spec §6.3), to show the configurable template.
    template: "{CODE}/{YYYY}{MM}-{NNNNN}",
    items: {
      policy: "2.1",
      normative: "2.2",
      workPlan: "5.2",
      proposals: "7.1",
      govReport: "8.1",
      livelihood: "8.2",
      fundMonthly: "12.2",
      feeCut: "12.3",
      jobs: "12.4",
      budget: "11.1",
      finalAccounts: "11.2",
      statistics: "13.3",
      randomInspection: "9.1",
      recruitment: "15.1",
    },
  },
  {
    slug: "zhongwei-hrss",
    place: "全市",
    docPrefix: "卫人社发",
    template: "{CODE}/{YYYY}-{NNNNN}",
    items: {
      annualReport: "2.3",
      normative: "2.4",
      policy: "2.5",
      interpretation: "2.6",
      licensing: "3.3",
      penalty: "3.4",
      loans: "4.4",
      publicPosts: "4.5",
      notices: "6.2",
    },
  },
];

export interface Planned {
  key: string;
  item: string;
  formed: string;
  /** Working days between formation and publication (beyond the deadline → late). */
  lag: number;
  input: Omit<ContentInput, "itemId" | "formedDate">;
  /** Published after its deadline on purpose (otherwise publication is clamped to the due date). */
  late?: boolean;
  /** Leave in the workflow (not published). */
  stopAt?: "draft" | "submitted" | "reviewed";
  channel?: string;
  interprets?: string;
}

const CN_Q = ["一", "二", "三", "四"] as const;

export function paragraphs(...ps: string[]): string {
  return ps.map((p) => `<p>${p}</p>`).join("\n");
}

/** The records of one agency, planned from `today` back 24 months. */
export function plan(p: Profile, agencyName: string, today: string): Planned[] {
  const r = rng(p.slug);
  const n = (min: number, max: number) => Math.floor(min + r() * (max - min + 1));
  const out: Planned[] = [];
  const start = addMonthsClamped(today, -24);
  const y0 = Number(start.slice(0, 4));
  const y1 = Number(today.slice(0, 4));
  const has = (k: string) => p.items[k] !== undefined;
  const item = (k: string) => p.items[k] as string;
  const dayOf = (y: number, m: number, d: number) =>
    `${y}-${String(m).padStart(2, "0")}-${String(Math.min(d, 28)).padStart(2, "0")}`;
  const inRange = (d: string) => compareDates(d, start) > 0 && compareDates(d, today) <= 0;
  const seq: Record<number, number> = {};
  const docNo = (y: number) => {
    seq[y] = (seq[y] ?? 0) + n(1, 4);
    return `${p.docPrefix}〔${y}〕${seq[y]}号`;
  };

  // Policy documents (every three months) and interpretations of every other one; some late.
  const policies = [
    "关于做好{Y}年高校毕业生等青年就业创业工作的通知",
    "关于进一步做好稳就业工作的若干措施",
    "关于开展{Y}年“春风行动”专项活动的通知",
    "关于做好{Y}年度企业职工基本养老保险待遇资格认证工作的通知",
    "关于调整城乡居民基本养老保险基础养老金标准的通知",
    "关于开展{Y}年根治欠薪冬季专项行动的通知",
    "关于印发《{Y}年全{P}人力资源和社会保障工作要点》的通知",
    "关于做好{Y}年失业保险稳岗返还工作的通知",
    "关于开展{Y}年职业技能等级认定工作的通知",
    "关于做好新就业形态劳动者职业伤害保障工作的通知",
    "关于发布{Y}年度社会保险缴费基数上下限的通知",
    "关于开展{Y}年度劳动保障书面审查工作的通知",
  ];
  if (has("policy")) {
    let i = 0;
    for (let back = 23; back >= 0; back -= 3) {
      const d = addMonthsClamped(today, -back);
      const y = Number(d.slice(0, 4));
      const m = Number(d.slice(5, 7));
      const formed = dayOf(y, m, n(3, 20));
      if (!inRange(formed)) continue;
      const title = policies[i % policies.length]!.replaceAll("{Y}", String(y)).replaceAll(
        "{P}",
        p.place.slice(1),
      );
      const key = `policy-${i}`;
      const late = i % 4 === 3;
      out.push({
        key,
        item: item("policy"),
        formed,
        lag: late ? n(24, 32) : n(2, 12),
        late,
        channel: i % 3 === 0 ? "政务微信公众号" : undefined,
        input: {
          title,
          summary: `${agencyName}印发${title.replace(/^关于/, "").replace(/的通知$/, "")}的有关事项。`,
          docNumber: docNo(y),
          topic: title.includes("养老") || title.includes("社会保险") ? "社会保障" : "劳动、人事、监察",
          genre: "通知",
          keywords: title.includes("就业")
            ? ["就业", "创业"]
            : title.includes("养老")
              ? ["养老保险"]
              : ["人力资源", "社会保障"],
          bodyHtml: paragraphs(
            "各有关单位：",
            `为认真贯彻落实党中央、国务院和上级人力资源社会保障部门的决策部署，结合${p.place}实际，现就有关事项通知如下。`,
            "一、提高思想认识。各单位要充分认识做好此项工作的重要意义，切实加强组织领导，明确责任分工。",
            "二、落实工作措施。要对照任务清单，细化工作举措，确保各项政策落地见效。",
            "三、加强宣传引导。要通过政府网站、政务新媒体等渠道，及时发布政策信息，回应群众关切。",
            `${agencyName}`,
          ),
          validity: "有效",
          effectiveDate: formed,
        },
      });
      if (has("interpretation") && i % 2 === 0) {
        out.push({
          key: `interp-${i}`,
          item: item("interpretation"),
          formed,
          // Published with the policy (与政策文件同步发布); one of them two working days later (late).
          lag: i === 4 ? 2 : 0,
          late: i === 4,
          interprets: key,
          input: {
            kind: "interpretation",
            title: `《${title.replace(/^关于印发《(.*)》的通知$/, "$1")}》政策解读`,
            summary: `解读${title}的出台背景、主要内容和政策要点。`,
            topic: "劳动、人事、监察",
            genre: "解读",
            keywords: ["政策解读"],
            bodyHtml: paragraphs(
              "一、出台背景",
              `为贯彻落实上级部署，进一步做好${p.place}相关工作，${agencyName}制定出台了该文件。`,
              "二、主要内容",
              "文件共分为三个部分，明确了工作目标、重点任务和保障措施。",
              "三、政策亮点",
              "一是扩大政策覆盖面；二是简化办理流程，实行“免申即享”；三是强化资金保障。",
              "四、解读机关及联系方式",
              `解读机关：${agencyName}政策法规股；咨询电话：12333。`,
            ),
          },
        });
      }
      i++;
    }
  }

  // 规范性文件: one a year; the first is repealed later and replaced by a new one (see seedAgency).
  if (has("normative")) {
    const titles = [
      "关于印发《就业困难人员认定管理办法》的通知",
      "关于印发《公益性岗位开发管理办法》的通知",
      "关于印发《就业困难人员认定管理办法（修订）》的通知",
    ];
    titles.forEach((t, i) => {
      const formed = addMonthsClamped(today, -(20 - i * 8));
      if (!inRange(formed)) return;
      const y = Number(formed.slice(0, 4));
      out.push({
        key: `normative-${i}`,
        item: item("normative"),
        formed,
        lag: n(3, 10),
        input: {
          title: t,
          summary: `规范${t.replace(/^关于印发《(.*)》的通知$/, "$1").replace(/（修订）/, "")}相关工作。`,
          docNumber: `${p.docPrefix.replace("发", "规")}〔${y}〕${i + 1}号`,
          topic: "劳动、人事、监察",
          genre: "办法",
          keywords: ["规范性文件"],
          docCategory: "normative_documents",
          validity: "有效",
          effectiveDate: addMonthsClamped(formed, 1),
          bodyHtml: paragraphs(
            "第一章 总则",
            "第一条 为规范相关管理工作，根据《中华人民共和国就业促进法》等法律法规，结合本地实际，制定本办法。",
            "第二条 本办法适用于本行政区域内的相关管理和服务工作。",
            "第二章 认定条件和程序",
            "第三条 符合条件的人员可向户籍所在地或常住地公共就业服务机构申请认定。",
            "第三章 附则",
            "第四条 本办法自印发之日起三十日后施行，有效期五年。",
          ),
        },
      });
    });
  }

  // Licensing / penalty results (双公示), quarterly batches.
  for (const [k, cat, label] of [
    ["licensing", "licensing", "人力资源服务许可审批结果公示"],
    ["penalty", "penalty", "行政处罚决定信息公示"],
  ] as const) {
    if (!has(k)) continue;
    for (let back = 22; back >= 0; back -= 5) {
      const d = addMonthsClamped(today, -back);
      const y = Number(d.slice(0, 4));
      const m = Number(d.slice(5, 7));
      const formed = dayOf(y, m, n(5, 25));
      if (!inRange(formed)) continue;
      const count = n(1, 4);
      const batch = `${y}年第${Math.ceil(m / 3)}批`;
      out.push({
        key: `${k}-${back}`,
        item: item(k),
        formed,
        lag: back === 12 ? n(9, 12) : n(1, 4),
        late: back === 12,
        input: {
          title: `${label}（${batch}）`,
          summary: `公示${batch}${cat === "licensing" ? "行政许可" : "行政处罚"}决定${count}件。`,
          topic: "劳动、人事、监察",
          genre: "公示",
          docCategory: cat as DocCategory,
          decisionCount: count,
          keywords: [cat === "licensing" ? "行政许可" : "行政处罚", "双公示"],
          bodyHtml: paragraphs(
            `根据“双公示”工作要求，现将${batch}${cat === "licensing" ? "行政许可" : "行政处罚"}决定信息公示如下：`,
            `<table><thead><tr><th>序号</th><th>行政相对人名称</th><th>决定文书号</th><th>决定日期</th></tr></thead><tbody>${Array.from(
              { length: count },
              (_, j) =>
                `<tr><td>${j + 1}</td><td>${["某某人力资源服务有限公司", "某某职业技能培训学校", "某某劳务派遣有限公司", "某某建筑工程有限公司"][j % 4]}</td><td>${cat === "licensing" ? "人社许" : "人社罚决"}字〔${y}〕${j + 3}号</td><td>${formed}</td></tr>`,
            ).join("")}</tbody></table>`,
            "公示期间如有异议，请与本机关联系。",
          ),
        },
      });
    }
  }

  // Periodic reports.
  const monthly = (
    k: string,
    title: (y: number, m: number) => string,
    body: (y: number, m: number) => string,
  ) => {
    if (!has(k)) return;
    for (let back = MONTHLY_MONTHS; back >= 1; back--) {
      const d = addMonthsClamped(today, -back);
      const y = Number(d.slice(0, 4));
      const m = Number(d.slice(5, 7));
      // Two months are missing (one later attested, one left overdue), one is late.
      if (back === 7 || back === 15) continue;
      const next = addMonthsClamped(dayOf(y, m, 1), 1);
      const formed = dayOf(Number(next.slice(0, 4)), Number(next.slice(5, 7)), n(3, 6));
      if (!inRange(formed)) continue;
      out.push({
        key: `${k}-${y}-${m}`,
        item: item(k),
        formed,
        lag: back === 11 ? 14 : n(1, 3),
        late: back === 11,
        input: { title: title(y, m), topic: "社会保障", genre: "报告", bodyHtml: body(y, m) },
      });
    }
  };
  const quarterly = (
    k: string,
    title: (y: number, q: number) => string,
    body: (y: number, q: number) => string,
    missing: number[],
  ) => {
    if (!has(k)) return;
    for (let y = y0; y <= y1; y++) {
      for (let q = 1; q <= 4; q++) {
        const period = periodOf("quarter", y, q);
        const formed = addMonthsClamped(period.start, 3).slice(0, 8) + String(n(5, 9)).padStart(2, "0");
        if (!inRange(formed) || compareDates(period.start, start) < 0) continue;
        const idx = y * 4 + q;
        if (missing.includes(idx % 5)) continue;
        out.push({
          key: `${k}-${y}-${q}`,
          item: item(k),
          formed,
          lag: n(1, 4),
          input: { title: title(y, q), topic: "劳动、人事、监察", genre: "公示", bodyHtml: body(y, q) },
        });
      }
    }
  };
  const yearly = (
    k: string,
    title: (y: number) => string,
    month: number,
    body: (y: number) => string,
    genre = "报告",
  ) => {
    if (!has(k)) return;
    for (let y = y0; y <= y1; y++) {
      const formed = dayOf(y, month, n(10, 20));
      if (!inRange(formed)) continue;
      out.push({
        key: `${k}-${y}`,
        item: item(k),
        formed,
        lag: n(2, 6),
        input: { title: title(y), topic: "综合政务", genre, bodyHtml: body(y) },
      });
    }
  };

  monthly(
    "fundMonthly",
    (y, m) => `${y}年${m}月全市社会保险基金运行情况`,
    (y, m) =>
      paragraphs(
        `截至${y}年${m}月底，全市企业职工基本养老保险参保${n(120, 140)}.${n(1, 9)}万人，城乡居民基本养老保险参保${n(300, 330)}.${n(1, 9)}万人，失业保险参保${n(50, 60)}.${n(1, 9)}万人，工伤保险参保${n(60, 70)}.${n(1, 9)}万人。`,
        `1—${m}月，三项社会保险基金总收入${n(60, 90)}.${n(10, 99)}亿元，总支出${n(55, 88)}.${n(10, 99)}亿元，基金运行总体平稳。`,
      ),
  );
  quarterly(
    "subsidyQuarterly",
    (y, q) => `${y}年第${CN_Q[q - 1]}季度就业困难人员社会保险补贴发放情况公示`,
    (y, q) =>
      paragraphs(
        `根据就业补助资金管理有关规定，现将${y}年第${CN_Q[q - 1]}季度就业困难人员社会保险补贴发放情况公示如下：`,
        `本季度共为${n(40, 120)}名灵活就业的就业困难人员发放社会保险补贴${n(10, 40)}.${n(10, 99)}万元。补贴对象名单已在各苏木乡镇公示栏张贴。`,
        "公示期为5个工作日。如有异议，请向旗就业服务中心反映。",
      ),
    [2],
  );
  quarterly(
    "feeCut",
    (y, q) => `${y}年第${CN_Q[q - 1]}季度阶段性降低社会保险费率政策落实情况`,
    (y, q) =>
      paragraphs(
        `${y}年第${CN_Q[q - 1]}季度，全市继续执行阶段性降低失业保险、工伤保险费率政策，共为参保单位减负${n(3000, 9000)}万元。`,
      ),
    [1, 3],
  );
  quarterly(
    "govReport",
    (y, q) => `${y}年第${CN_Q[q - 1]}季度政府工作报告重点任务落实情况`,
    (y, q) =>
      paragraphs(
        `${y}年第${CN_Q[q - 1]}季度，我局牵头的政府工作报告重点任务均按计划推进：城镇新增就业${n(3000, 9000)}人，发放创业担保贷款${n(1, 3)}.${n(1, 9)}亿元。`,
      ),
    [4],
  );
  quarterly(
    "livelihood",
    (y, q) => `${y}年第${CN_Q[q - 1]}季度民生实事项目推进情况`,
    (y, q) =>
      paragraphs(
        `${y}年第${CN_Q[q - 1]}季度，“家门口就业服务站”建设、职业技能培训等民生实事项目有序推进，累计完成年度目标的${Math.min(100, q * 25 + n(-5, 5))}%。`,
      ),
    [0],
  );
  yearly(
    "annualReport",
    (y) => `${agencyName}${y - 1}年政府信息公开工作年度报告`,
    1,
    (y) =>
      paragraphs(
        "一、总体情况",
        `${y - 1}年，${agencyName}认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息${n(60, 200)}条。`,
        "二、主动公开政府信息情况（见附表）",
        "三、收到和处理政府信息公开申请情况（见附表）",
        "四、政府信息公开行政复议、行政诉讼情况（见附表）",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
      ),
  );
  yearly(
    "guide",
    (y) => `${agencyName}政府信息公开指南（${y}年修订）`,
    1,
    () =>
      paragraphs(
        "一、主动公开",
        "二、依申请公开",
        "三、政府信息公开工作机构：行政办公室，联系电话：12333。",
        "四、监督和救济",
      ),
    "指南",
  );
  yearly(
    "budget",
    (y) => `${agencyName}${y}年部门预算公开`,
    2,
    (y) =>
      paragraphs(
        `${y}年本部门收入预算${n(800, 3000)}万元，支出预算${n(800, 3000)}万元，“三公”经费预算${n(5, 30)}万元。`,
      ),
  );
  yearly(
    "finalAccounts",
    (y) => `${agencyName}${y - 1}年部门决算公开`,
    8,
    (y) => paragraphs(`${y - 1}年度本部门收入决算${n(800, 3000)}万元，支出决算${n(800, 3000)}万元。`),
  );
  yearly(
    "workPlan",
    (y) => `聊城市人力资源和社会保障局${y}年工作要点`,
    3,
    () => paragraphs("一、全力稳定和扩大就业", "二、健全社会保障体系", "三、加强人才队伍建设"),
  );
  yearly(
    "proposals",
    (y) => `${y - 1}年度建议提案办理工作总体情况`,
    3,
    () => paragraphs("全年共承办市人大代表建议和市政协委员提案，均已按期办结，满意率100%。"),
  );
  yearly(
    "statistics",
    (y) => `${y - 1}年度行政执法数据统计年报`,
    1,
    () => paragraphs("全年实施行政检查、行政处罚、行政强制情况统计如下。"),
  );
  yearly(
    "randomInspection",
    (y) => `${y}年度“双随机、一公开”抽查计划`,
    4,
    () => paragraphs("按照“双随机、一公开”监管要求，制定本年度劳动保障监察抽查计划。"),
  );
  yearly(
    "insurance",
    (y) => `关于发布${y}年度社会保险缴费基数上下限的通知`,
    7,
    (y) => paragraphs(`${y}年度社会保险缴费基数上限为${n(18000, 22000)}元/月，下限为${n(3800, 4500)}元/月。`),
    "通知",
  );

  // Ad-hoc notices.
  const adhoc: [string, string, number][] = [
    ["jobs", "{Y}年{P}“春风行动”暨就业援助月招聘会公告", 2],
    ["jobs", "{Y}年高校毕业生就业见习岗位信息公告", 6],
    ["recruitment", "{Y}年市属事业单位公开招聘工作人员公告", 4],
    ["loans", "{Y}年第一批创业担保贷款贴息资金拨付情况公示", 5],
    ["publicPosts", "{Y}年公益性岗位拟安置人员公示", 9],
    ["notices", "关于{Y}年劳动节期间劳动保障监察值班安排的通告", 4],
    ["bidding", "{Y}年职业技能培训服务政府采购项目成交公告", 6],
  ];
  for (const [k, t, month] of adhoc) {
    if (!has(k)) continue;
    for (let y = y0; y <= y1; y++) {
      const formed = dayOf(y, month, n(8, 22));
      if (!inRange(formed)) continue;
      out.push({
        key: `${k}-${y}`,
        item: item(k),
        formed,
        lag: n(1, 5),
        input: {
          title: t.replaceAll("{Y}", String(y)).replaceAll("{P}", p.place),
          topic: "劳动就业",
          genre: "公告",
          bodyHtml: paragraphs(
            "现将有关事项公告如下：",
            "一、时间安排",
            "二、参加对象",
            "三、有关要求",
            `咨询电话：12333`,
          ),
        },
      });
    }
  }

  // Drafts still in the workflow: one overdue, one due soon, one awaiting review.
  if (has("policy")) {
    const lastMonth = addMonthsClamped(today, -2);
    out.push({
      key: "draft-overdue",
      item: item("policy"),
      formed: lastMonth,
      lag: 0,
      stopAt: "submitted",
      input: {
        title: `关于开展${today.slice(0, 4)}年度工伤预防项目申报工作的通知`,
        genre: "通知",
        bodyHtml: paragraphs("各有关单位：……"),
      },
    });
    out.push({
      key: "draft-soon",
      item: item("policy"),
      formed: addMonthsClamped(today, -1),
      lag: 0,
      stopAt: "draft",
      input: {
        title: "关于做好当前农民工工资支付保障工作的通知",
        genre: "通知",
        bodyHtml: paragraphs("各有关单位：……"),
      },
    });
  }
  return out.sort((a, b) => compareDates(a.formed, b.formed));
}
