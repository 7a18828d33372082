/**
 * @module TypeBox schemas of the calendar's JSON API (/api/v1/calendar…), for responses and the OpenAPI document.
 */
import { Type } from "@sinclair/typebox";

const NullableString = (description?: string) =>
  Type.Union([Type.String(), Type.Null()], description ? { description } : {});
const IsoDate = (description: string) => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });

export const NoticeView = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  title: Type.String({ description: "通知标题" }),
  docNumber: Type.String({ description: "文号，例如 国办发明电〔2025〕7号" }),
  date: Type.String({ description: "成文日期 YYYY-MM-DD" }),
  url: NullableString("原文链接"),
});

export const OverrideView = Type.Object({
  id: Type.String(),
  date: Type.String({ description: "日期 YYYY-MM-DD" }),
  kind: Type.Union([Type.Literal("rest"), Type.Literal("work")], { description: "rest 休息 | work 上班" }),
  category: Type.Union([Type.Literal("notice"), Type.Literal("holiday"), Type.Literal("closure")], {
    description: "notice 放假通知 | holiday 地区休息日 | closure 临时闭馆",
  }),
  name: Type.String(),
  note: NullableString(),
  regionId: NullableString("适用的行政区划（null 为全国）"),
  noticeYear: Type.Union([Type.Integer(), Type.Null()], { description: "来自哪一年的放假通知" }),
});

export const Recomputed = Type.Array(
  Type.Object({ listener: Type.String({ description: "重新计算的期限类别" }), count: Type.Integer() }),
  { description: "因日历变化重新计算的期限" },
);

export const CalendarYear = Type.Object({
  year: Type.Integer(),
  official: Type.Boolean({ description: "该年已有国务院放假通知（或录入的数据）" }),
  source: Type.Union([Type.Literal("file"), Type.Literal("database"), Type.Literal("none")]),
  notice: Type.Union([Type.Object({}, { additionalProperties: true, description: "放假通知" }), Type.Null()]),
  workingDays: Type.Integer({ description: "全年工作日数" }),
  provisional: Type.Boolean({ description: "尚无放假通知，按《全国年节及纪念日放假办法》推算（不含调休）" }),
  reasons: Type.Array(Type.String()),
  days: Type.Array(
    Type.Object(
      {
        date: Type.String(),
        working: Type.Boolean(),
        kind: Type.Union([
          Type.Literal("workday"),
          Type.Literal("weekend"),
          Type.Literal("holiday"),
          Type.Literal("makeupWorkday"),
        ]),
      },
      { additionalProperties: true },
    ),
    { description: "休息日和调休上班日（升序，带名称）" },
  ),
});

export const NoticeBody = Type.Object({
  year: Type.Integer({ description: "年份" }),
  title: Type.String({ description: "通知标题" }),
  docNumber: Type.String({ description: "文号" }),
  date: IsoDate("成文日期"),
  url: Type.Optional(Type.String({ description: "原文链接" })),
  days: Type.Union(
    [
      Type.Array(
        Type.Object({
          date: IsoDate("日期"),
          kind: Type.Union([Type.Literal("rest"), Type.Literal("work")]),
          name: Type.String({ description: "节日名称，例如 春节" }),
        }),
      ),
      Type.String({ description: "每行一项：YYYY-MM-DD[至YYYY-MM-DD] 休|班 名称" }),
    ],
    { description: "放假和调休上班的日期" },
  ),
});

export const OverrideBody = Type.Object({
  date: IsoDate("日期"),
  kind: Type.Union([Type.Literal("rest"), Type.Literal("work")]),
  name: Type.String({ description: "名称，例如 那达慕大会" }),
  category: Type.Optional(
    Type.Union([Type.Literal("notice"), Type.Literal("holiday"), Type.Literal("closure")], {
      default: "holiday",
    }),
  ),
  regionId: Type.Optional(NullableString("行政区划 id（空为全国）")),
  note: Type.Optional(Type.String()),
});
