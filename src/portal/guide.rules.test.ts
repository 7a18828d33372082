import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EMPTY_PROFILE, type GuideProfile, normalizeChannels } from "../guide/index.ts";
import { buildGuide, type GuideInput } from "./guide.rules.ts";

const paths = { catalog: "/a/catalog", apply: "/a/apply", reports: "/a/reports", search: "/a/search" };

function guide(profile: Partial<GuideProfile> = {}, extra: Partial<GuideInput> = {}) {
  return buildGuide({
    agencyName: "某市人力资源和社会保障局",
    paths,
    profile: { ...EMPTY_PROFILE, ...profile },
    categories: ["机构职能", "就业创业"],
    hasCatalog: true,
    ...extra,
  });
}

function text(g: ReturnType<typeof buildGuide>): string {
  return g.sections
    .flatMap((s) => [
      s.title,
      ...s.paragraphs,
      ...(s.list ?? []),
      ...(s.facts ?? []).map((f) => `${f.label}:${f.value}`),
    ])
    .join("\n");
}

describe("normalizeChannels (国办公开办函〔2017〕19号: 当面 and 邮寄 always accepted)", () => {
  const cases: [string[], string[]][] = [
    [[], ["in_person", "post"]],
    [["email"], ["in_person", "post", "email"]],
    [
      ["fax", "online", "post"],
      ["in_person", "post", "online", "fax"],
    ],
    [
      ["bogus", "online"],
      ["in_person", "post", "online"],
    ],
  ];
  for (const [input, expected] of cases)
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(normalizeChannels(input), expected));
});

describe("buildGuide (条例第12条)", () => {
  it("has the sections the regulation requires, in order", () => {
    assert.deepEqual(
      guide().sections.map((s) => s.id),
      ["intro", "categories", "obtain", "office", "apply", "fees", "remedies"],
    );
  });

  it("lists the catalog's first-level items as the categories of information", () => {
    const s = guide().sections.find((x) => x.id === "categories");
    assert.deepEqual(s?.list, ["机构职能", "就业创业"]);
    const none = guide({}, { categories: [], hasCatalog: false }).sections.find((x) => x.id === "categories");
    assert.match(none?.paragraphs[0] ?? "", /目录正在编制中/);
  });

  const contactCases: [Partial<GuideProfile>, string[]][] = [
    [{}, ["工作机构名称", "办公地址", "办公时间", "联系电话", "传真号码", "电子邮箱"]],
    [
      { officeName: "办公室", officeAddress: "某路1号", officeHours: "工作日", phone: "1", fax: "2" },
      ["电子邮箱"],
    ],
    [
      {
        officeName: "办公室",
        officeAddress: "某路1号",
        officeHours: "工作日",
        phone: "1",
        fax: "2",
        email: "a@b.cn",
      },
      [],
    ],
  ];
  for (const [profile, missing] of contactCases)
    it(`reports missing contact fields: ${missing.join("、") || "none"}`, () => {
      const g = guide(profile);
      assert.deepEqual(g.missing, missing);
      const facts = g.sections.find((s) => s.id === "office")?.facts ?? [];
      assert.equal(facts.filter((f) => f.missing).length, missing.filter((m) => m !== "工作机构名称").length);
    });

  it("shows 暂未公布 for missing data and the stated data otherwise", () => {
    assert.match(text(guide()), /办公地址:（暂未公布）/);
    const t = text(
      guide({ officeAddress: "某路1号", postalCode: "100000", phone: "0470-1", email: "gk@x.cn" }),
    );
    assert.match(t, /办公地址:某路1号/);
    assert.match(t, /邮政编码:100000/);
    assert.match(t, /邮政寄送：某路1号（邮编100000）/);
  });

  it("lists only the announced channels, always with 当面提交 and 邮政寄送", () => {
    const apply = (p: Partial<GuideProfile>) => guide(p).sections.find((s) => s.id === "apply")?.list ?? [];
    assert.deepEqual(
      apply({ channels: [] }).map((l) => l.split("：")[0]),
      ["当面提交", "邮政寄送"],
    );
    assert.deepEqual(
      apply({ channels: ["email", "fax"], fax: "0470-2", email: "a@b.cn" }).map((l) => l.split("：")[0]),
      ["当面提交", "邮政寄送", "传真", "电子邮件"],
    );
  });

  it("states the statutory time limits (第30条 7个工作日补正; 第33条 20+20个工作日)", () => {
    const t = text(guide());
    assert.match(t, /7个工作日内一次性告知/);
    assert.match(t, /20个工作日内予以答复/);
    assert.match(t, /最长不超过20个工作日/);
  });

  it("fees and remedies cite 第42条 / 国办函〔2020〕109号 and 第51条, with the agency's bodies when given", () => {
    const t = text(guide({ reviewBody: "某市人民政府", supervisorBody: "某市政务公开办" }));
    assert.match(t, /第四十二条/);
    assert.match(t, /国办函〔2020〕109号/);
    assert.match(t, /向某市政务公开办投诉、举报/);
    assert.match(t, /行政复议机关：某市人民政府/);
    assert.match(text(guide()), /上一级行政机关或者政府信息公开工作主管部门/);
  });

  it("appends the agency's own paragraphs", () => {
    const g = guide({ intro: "第一段\n\n第二段", feesNote: "缴费方式：银行转账" });
    assert.deepEqual(g.sections[0]?.paragraphs.slice(1), ["第一段", "第二段"]);
    assert.match(text(g), /缴费方式：银行转账/);
  });
});
