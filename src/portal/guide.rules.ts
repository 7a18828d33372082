/**
 * @module The 政府信息公开指南 generated from an agency's data (pure).
 *
 * 条例第12条: 指南 contains the categories of information, the arrangement system (编排体系), how to obtain
 * information, and the name, office address, office hours, phone, fax and internet contact of the 政府信息公开工作机构.
 * The sections on applications, fees and remedies follow 条例第27–33条, 第42条 and 第51条; the channels follow
 * 国办公开办函〔2017〕19号 (当面提交 and 邮政寄送 are basic channels and are always accepted).
 */
import { CHANNELS, type GuideProfile, normalizeChannels } from "../guide/index.ts";

export interface GuideInput {
  agencyName: string;
  /** Portal paths of this agency (for links in the text). */
  paths: { catalog: string; apply: string; reports: string; search: string };
  profile: GuideProfile;
  /** 一级事项 of the published catalog (the categories of information). */
  categories: string[];
  /** True when the agency has a published catalog. */
  hasCatalog: boolean;
}

export interface GuideSection {
  id: string;
  title: string;
  paragraphs: string[];
  /** Label/value pairs shown as a definition list (contact data). */
  facts?: { label: string; value: string; missing?: boolean }[];
  list?: string[];
  links?: { href: string; label: string }[];
}

export interface Guide {
  title: string;
  sections: GuideSection[];
  /** Fields 条例第12条 requires that the agency has not filled in (shown to staff as a warning). */
  missing: string[];
}

/** Contact fields 条例第12条 names: 名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式. */
export const REQUIRED_CONTACT_FIELDS: readonly { key: keyof GuideProfile; label: string }[] = [
  { key: "officeName", label: "工作机构名称" },
  { key: "officeAddress", label: "办公地址" },
  { key: "officeHours", label: "办公时间" },
  { key: "phone", label: "联系电话" },
  { key: "fax", label: "传真号码" },
  { key: "email", label: "电子邮箱" },
];

const NOT_STATED = "（暂未公布）";

function paras(text: string): string[] {
  return text
    .split(/\n\s*\n|\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Builds the guide. Missing contact data is shown as "（暂未公布）" and listed in `missing`. */
export function buildGuide(input: GuideInput): Guide {
  const p = input.profile;
  const name = input.agencyName;
  const officeName = p.officeName || `${name}政府信息公开工作机构`;
  const missing = REQUIRED_CONTACT_FIELDS.filter((f) => !String(p[f.key]).trim()).map((f) => f.label);
  const channels = normalizeChannels(p.channels);

  const sections: GuideSection[] = [];

  sections.push({
    id: "intro",
    title: "一、总则",
    paragraphs: [
      `为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，编制本指南。本指南由${name}负责解释，并适时更新。`,
      ...paras(p.intro),
    ],
  });

  // 条例第12条: 政府信息的分类、编排体系.
  sections.push({
    id: "categories",
    title: "二、主动公开",
    paragraphs: [
      input.hasCatalog
        ? `${name}主动公开的政府信息按照《${name}主动公开事项目录》分类编排，每条信息标注索引号、信息名称、发布机构、成文日期、发布日期等要素。主要类别如下：`
        : `${name}主动公开的政府信息按照主动公开事项目录分类编排。目录正在编制中，发布后将在本专栏公布。`,
    ],
    list: input.categories,
    links: [
      { href: input.paths.catalog, label: "查看主动公开事项目录" },
      { href: input.paths.search, label: "检索本机关公开的政府信息" },
    ],
  });

  // 条例第23–24条: 获取方式.
  sections.push({
    id: "obtain",
    title: "三、获取方式",
    paragraphs: [
      `主动公开的政府信息通过本政府信息公开专栏发布，可在线查阅、检索和下载；属于主动公开范围的政府信息，自该信息形成或者变更之日起20个工作日内予以公开（《条例》第二十六条）。`,
      p.readingRoom
        ? `公众也可以到政府信息公开查阅场所查阅：${p.readingRoom}。`
        : `公众也可以到当地国家档案馆、公共图书馆和政务服务场所设置的政府信息查阅场所查阅（《条例》第二十五条）。`,
      ...paras(p.obtainNote),
    ],
  });

  // 条例第4条、第12条: 工作机构及联系方式.
  sections.push({
    id: "office",
    title: "四、政府信息公开工作机构",
    paragraphs: [`${name}的政府信息公开工作机构为${officeName}，负责本机关政府信息公开的日常工作。`],
    facts: [
      { label: "机构名称", value: officeName },
      { label: "办公地址", value: p.officeAddress || NOT_STATED, missing: !p.officeAddress },
      ...(p.postalCode ? [{ label: "邮政编码", value: p.postalCode }] : []),
      { label: "办公时间", value: p.officeHours || NOT_STATED, missing: !p.officeHours },
      { label: "联系电话", value: p.phone || NOT_STATED, missing: !p.phone },
      { label: "传真号码", value: p.fax || NOT_STATED, missing: !p.fax },
      { label: "电子邮箱", value: p.email || NOT_STATED, missing: !p.email },
      ...(p.website ? [{ label: "网址", value: p.website }] : []),
    ],
  });

  // 条例第27–33条: 依申请公开.
  sections.push({
    id: "apply",
    title: "五、依申请公开",
    paragraphs: [
      `公民、法人或者其他组织可以向${name}申请获取相关政府信息（《条例》第二十七条）。申请应当采用包括信件、数据电文在内的书面形式；采用书面形式确有困难的，申请人可以口头提出，由受理机构代为填写政府信息公开申请（《条例》第二十九条）。`,
      `申请内容应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。`,
      `本机关受理申请的渠道如下（当面提交和邮政寄送始终受理）：`,
    ],
    list: channels.map((c) => {
      switch (c) {
        case "in_person":
          return `当面提交：${p.officeAddress || "到本机关政府信息公开工作机构"}${p.officeHours ? `（${p.officeHours}）` : ""}`;
        case "post":
          return `邮政寄送：${p.officeAddress ? `${p.officeAddress}${p.postalCode ? `（邮编${p.postalCode}）` : ""}，${officeName}收，请在信封左下角注明“政府信息公开申请”` : "寄至本机关政府信息公开工作机构，请在信封左下角注明“政府信息公开申请”"}`;
        case "online":
          return "在线申请：通过本专栏的“在线申请”填写提交，提交后获得查询码，可随时查询办理进度";
        case "fax":
          return `传真：${p.fax || NOT_STATED}，请注明“政府信息公开申请”`;
        case "email":
          return `电子邮件：${p.email || NOT_STATED}，请在邮件主题中注明“政府信息公开申请”`;
      }
      return CHANNELS[c];
    }),
    links: [
      { href: input.paths.apply, label: "在线提交政府信息公开申请" },
      { href: `${input.paths.apply}/form.docx`, label: "下载政府信息公开申请表（Word，书面申请用）" },
    ],
  });
  sections[sections.length - 1]?.paragraphs.push(
    `申请内容不明确的，本机关自收到申请之日起7个工作日内一次性告知申请人作出补正（《条例》第三十条）。能够当场答复的当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日（《条例》第三十三条）。`,
    ...paras(p.applyNote),
  );

  // 条例第42条; 国办函〔2020〕109号.
  sections.push({
    id: "fees",
    title: "六、收费",
    paragraphs: [
      `行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费（《条例》第四十二条），收费标准按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）执行。`,
      ...paras(p.feesNote),
    ],
  });

  // 条例第51条: 投诉、举报、行政复议、行政诉讼.
  sections.push({
    id: "remedies",
    title: "七、监督和救济",
    paragraphs: [
      `公民、法人或者其他组织认为${name}在政府信息公开工作中侵犯其合法权益的，可以向${p.supervisorBody || "上一级行政机关或者政府信息公开工作主管部门"}投诉、举报，也可以依法申请行政复议${p.reviewBody ? `（行政复议机关：${p.reviewBody}）` : ""}或者提起行政诉讼${p.court ? `（管辖法院：${p.court}）` : ""}（《条例》第五十一条）。`,
      ...paras(p.remediesNote),
    ],
    links: [{ href: input.paths.reports, label: "查看政府信息公开工作年度报告" }],
  });

  return { title: `${name}政府信息公开指南`, sections, missing };
}
