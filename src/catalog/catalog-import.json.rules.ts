/**
 * @module Reads a catalog from JSON: our own export, or any file of the same shape ({ title, header, items }).
 */
import {
  type CatalogDoc,
  type CatalogDocItem,
  type CatalogHeader,
  emptyItem,
  MAX_ITEM_LEVEL,
} from "./catalog.model.ts";

// ---------------------------------------------------------------------------------------------------------------
// JSON (our own export, or any file of the same shape)

export type JsonDocResult = { ok: true; doc: CatalogDoc } | { ok: false; message: string };

/** Reads a catalog from parsed JSON ({ title, header, items: [...] }); unknown fields are ignored. */
export function docFromJson(value: unknown, fallbackTitle: string): JsonDocResult {
  if (typeof value !== "object" || value === null || !Array.isArray((value as { items?: unknown }).items))
    return { ok: false, message: "JSON 文件必须是一个包含 items 数组的对象（本平台导出的目录格式）。" };
  const v = value as { title?: unknown; header?: unknown; items: unknown[] };
  const problems: string[] = [];
  const str = (x: unknown, path: string, required = false): string | null => {
    if (x === undefined || x === null) {
      if (required) problems.push(`${path} 缺失`);
      return null;
    }
    if (typeof x !== "string") {
      problems.push(`${path} 必须是字符串`);
      return null;
    }
    return x;
  };
  const strArray = (x: unknown, path: string): string[] => {
    if (x === undefined || x === null) return [];
    if (!Array.isArray(x) || x.some((e) => typeof e !== "string")) {
      problems.push(`${path} 必须是字符串数组`);
      return [];
    }
    return x as string[];
  };
  const readItem = (x: unknown, path: string, level: number): CatalogDocItem | undefined => {
    if (typeof x !== "object" || x === null) {
      problems.push(`${path} 必须是对象`);
      return undefined;
    }
    const o = x as Record<string, unknown>;
    const item = emptyItem(level, str(o.name, `${path}.name`, true) ?? "");
    item.number = str(o.number, `${path}.number`);
    item.legalBasis = strArray(o.legalBasis, `${path}.legalBasis`);
    item.deadlineText = str(o.deadlineText, `${path}.deadlineText`);
    item.subject = str(o.subject, `${path}.subject`);
    item.channels = strArray(o.channels, `${path}.channels`);
    item.channelsOther = strArray(o.channelsOther, `${path}.channelsOther`);
    item.audience = str(o.audience, `${path}.audience`);
    const mode = str(o.mode, `${path}.mode`);
    if (mode !== null && mode !== "主动" && mode !== "依申请")
      problems.push(`${path}.mode 只能是“主动”或“依申请”`);
    else item.mode = mode;
    item.form = str(o.form, `${path}.form`);
    item.adminLevel = str(o.adminLevel, `${path}.adminLevel`);
    item.responsibleText = str(o.responsibleText, `${path}.responsibleText`);
    item.remarks = str(o.remarks, `${path}.remarks`);
    if (typeof o.stableKey === "string") item.stableKey = o.stableKey;
    if (o.extra !== undefined && o.extra !== null) {
      if (typeof o.extra !== "object" || Object.values(o.extra).some((e) => typeof e !== "string"))
        problems.push(`${path}.extra 必须是字符串对象`);
      else item.extra = { ...(o.extra as Record<string, string>) };
    }
    if (Array.isArray(o.units))
      o.units.forEach((u, i) => {
        const uo = u as { name?: unknown; role?: unknown };
        if (typeof uo?.name !== "string" || (uo.role !== "lead" && uo.role !== "cooperating"))
          problems.push(`${path}.units[${i}] 必须有 name 和 role（lead/cooperating）`);
        else item.units.push({ name: uo.name, role: uo.role });
      });
    if (Array.isArray(o.elements))
      o.elements.forEach((e, i) => {
        const eo = (e ?? {}) as Record<string, unknown>;
        const p = `${path}.elements[${i}]`;
        const element = {
          number: str(eo.number, `${p}.number`),
          label: str(eo.label, `${p}.label`) ?? "",
          content: str(eo.content, `${p}.content`) ?? "",
          deadlineText: str(eo.deadlineText, `${p}.deadlineText`),
          stableKey: typeof eo.stableKey === "string" ? eo.stableKey : undefined,
        };
        item.elements.push(element);
      });
    if (o.children !== undefined) {
      if (!Array.isArray(o.children)) problems.push(`${path}.children 必须是数组`);
      else if (o.children.length > 0 && level >= MAX_ITEM_LEVEL)
        problems.push(`${path}：事项最多${MAX_ITEM_LEVEL}级，其下不能再有下级事项`);
      else
        o.children.forEach((c, i) => {
          const child = readItem(c, `${path}.children[${i}]`, level + 1);
          if (child) item.children.push(child);
        });
    }
    return item;
  };
  const items: CatalogDocItem[] = [];
  v.items.forEach((x, i) => {
    const item = readItem(x, `items[${i}]`, 1);
    if (item) items.push(item);
  });
  if (problems.length > 0)
    return {
      ok: false,
      message: `JSON 内容不符合目录格式：${problems.slice(0, 5).join("；")}${problems.length > 5 ? ` 等 ${problems.length} 处` : ""}。`,
    };
  const header = typeof v.header === "object" && v.header !== null ? (v.header as CatalogHeader) : {};
  return {
    ok: true,
    doc: { title: typeof v.title === "string" && v.title !== "" ? v.title : fallbackTitle, header, items },
  };
}
