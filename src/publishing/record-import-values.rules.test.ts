import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  disclosureProblem,
  isNoteText,
  isPlaceholder,
  oneLine,
  parseImportDate,
  parseKind,
  parseValidity,
  parseValidityWords,
  sectionHeading,
} from "./record-import-values.rules.ts";

describe("records import values", () => {
  it("reads the dates of CMS exports and hand-made sheets", () => {
    for (const [raw, iso] of [
      ["2024-03-05", "2024-03-05"],
      ["2023-5-6", "2023-05-06"],
      ["2023/05/06 00:00:00", "2023-05-06"],
      ["2023-05-06 00:00:00.0", "2023-05-06"], // java.sql.Timestamp#toString in TRS / Hanweb exports
      ["2023-05-06 9:05", "2023-05-06"],
      ["2023-05-06T10:30:00", "2023-05-06"],
      ["2023.05.06", "2023-05-06"],
      ["2023年5月6日", "2023-05-06"],
      ["2023 年 5 月 6 日", "2023-05-06"],
      ["2023年05月06日 10时30分", "2023-05-06"],
      ["２０２３－０５－０６", "2023-05-06"], // full-width digits and hyphens
      ["２０２３年５月６日", "2023-05-06"],
      ["二〇二三年五月六日", "2023-05-06"],
      ["二○二三年十二月三十一日", "2023-12-31"], // ○ (U+25CB) typed for 〇
      ["二〇二三年十月十日", "2023-10-10"],
      ["二〇二三年十一月二十日", "2023-11-20"],
      ["20230506", "2023-05-06"],
      ["2023年5月6日 星期六", "2023-05-06"],
      ["2023-05-06（周六）", "2023-05-06"],
      ["45052", "2023-05-06"], // an Excel serial (1900 system, past the phantom 1900-02-29)
      ["43525", "2019-03-01"],
      ["45052.75", "2023-05-06"],
      ["2023-05-05T16:00:00Z", "2023-05-06"], // midnight in Beijing, written in UTC by a JSON export
      ["2023-05-05T16:00:00.000Z", "2023-05-06"],
      ["2023-05-06T00:00:00+08:00", "2023-05-06"],
      ["2023-05-06T23:30:00+0800", "2023-05-06"],
      ["1683302400000", "2023-05-06"], // 2023-05-05T16:00:00Z in milliseconds: midnight in Beijing
      ["1683302400", "2023-05-06"],
    ] as const)
      assert.equal(parseImportDate(raw), iso, raw);
    for (const raw of [
      "2024-02-30",
      "2023-02-29",
      "3/5/2024",
      "",
      "二〇二四年",
      "二〇二三年十三月一日",
      "二〇二三年二月三十日",
      "1900-01-01",
      "60", // 1900-02-29, the day Excel invents
      "12345", // 1933: before 1949
      "2023年5月",
      "2023-05-06 星期六下午",
      "23-5-6",
    ])
      assert.equal(parseImportDate(raw), null, raw);
  });

  it("maps 有效性 words to 有效/失效/废止 and refuses the ones with no equivalent, saying what to write", () => {
    const v = (raw: string) => {
      const r = parseValidity(raw);
      return r.ok ? r.validity : r.message;
    };
    for (const [raw, to] of [
      ["有效", "有效"],
      ["现行有效", "有效"],
      [" 有 效 ", "有效"],
      ["已失效", "失效"],
      ["有效期届满", "失效"],
      ["已废止", "废止"],
      ["宣布废止", "废止"],
      ["Repealed", "废止"],
      ["是", "有效"],
      ["否", "失效"],
      ["", null],
      ["—", null],
      ["/", null],
    ] as const)
      assert.equal(v(raw), to, raw);
    assert.match(v("已修改") as string, /^有效性“已修改”只能是有效、失效或废止：被修改的文件/);
    assert.match(v("部分失效") as string, /按其仍然适用的部分写“有效”/);
    assert.match(v("尚未生效") as string, /尚未施行的文件请写“有效”/);
    assert.match(v("作废") as string, /^有效性“作废”只能是有效、失效或废止（也可写现行有效/);
  });

  it("the user maps a file's own 有效性 words (已修改=有效); a wrong mapping says how to write it", () => {
    const parsed = parseValidityWords("已修改=有效， 部分失效 = 现行有效;尚未生效：失效");
    assert.ok(parsed.ok);
    assert.deepEqual(
      [...parsed.words],
      [
        ["已修改", "有效"],
        ["部分失效", "有效"],
        ["尚未生效", "失效"],
      ],
    );
    const v = (raw: string) => {
      const r = parseValidity(raw, parsed.words);
      return r.ok ? r.validity : r.message;
    };
    assert.equal(v("已修改"), "有效");
    assert.equal(v("尚未生效"), "失效");
    assert.equal(v("已废止"), "废止", "the built-in words still apply");
    assert.match(v("作废") as string, /本次导入指定的对应词中也没有它/);
    for (const bad of ["已修改", "已修改=作废", "=有效", ""]) {
      const r = parseValidityWords(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.message, /已修改=有效/, bad);
    }
  });

  it("publishes only 主动公开 rows", () => {
    assert.equal(disclosureProblem("主动公开"), null);
    assert.equal(disclosureProblem(""), null);
    assert.equal(disclosureProblem("—"), null);
    assert.equal(disclosureProblem("主动公开（全文）"), null);
    assert.match(disclosureProblem("依申请公开") ?? "", /批量导入只导入主动公开的信息（条例第19条）/);
    assert.match(disclosureProblem("不予公开") ?? "", /依申请公开和不予公开的信息不能发布到门户/);
    assert.match(disclosureProblem("长期") ?? "", /公开方式“长期”无法识别/);
  });

  it("placeholders, wrapped cells, kinds, notes and section headings", () => {
    for (const p of ["—", "-", "——", "/", "无", "暂无", "NULL", "— —", "－"])
      assert.equal(isPlaceholder(p), true, p);
    for (const p of ["", "人社发〔2020〕1号", "无锡", "1"]) assert.equal(isPlaceholder(p), false, p);
    assert.equal(
      oneLine("关于做好2019年度失业保险\n稳岗返还工作的通知"),
      "关于做好2019年度失业保险稳岗返还工作的通知",
    );
    assert.equal(oneLine("Notice on\r\n  employment"), "Notice on employment");
    assert.equal(oneLine("中卫人社发\n〔2019〕12号"), "中卫人社发〔2019〕12号");
    assert.equal(parseKind("政策解读"), "interpretation");
    assert.equal(parseKind(""), "document");
    assert.equal(parseKind("公告"), null);
    for (const n of [
      "合计：共120条",
      "合计",
      "说明：本目录由……",
      "注：",
      "制表人：张三",
      "数据截至2023年12月31日",
    ])
      assert.equal(isNoteText(n), true, n);
    for (const n of ["关于印发合计……的通知", "注册登记办事指南", "说明书"])
      assert.equal(isNoteText(n), false, n);
    assert.equal(sectionHeading("一、规范性文件"), "规范性文件");
    assert.equal(sectionHeading("（二）通知公告"), "通知公告");
    assert.equal(sectionHeading("3. 部门文件"), "部门文件");
    assert.equal(sectionHeading("2023.05.06"), null);
    assert.equal(sectionHeading("关于印发……的通知"), null);
  });
});
