/**
 * @module Escape-by-default HTML templates.
 *
 * `html\`<p>${value}</p>\`` escapes every interpolated value. Only values wrapped in `raw()` (or produced by
 * another `html` template) are inserted unescaped. Arrays are joined; null/undefined/false render nothing.
 */

const SAFE = Symbol("gongkai.safeHtml");

/** A string that is already safe HTML. Construct only through `html` or `raw`. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
  toString(): string;
}

function safe(value: string): SafeHtml {
  return { [SAFE]: true, value, toString: () => value };
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for use in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === "object" && value !== null && (value as { [SAFE]?: boolean })[SAFE] === true;
}

/** Marks trusted markup (e.g. sanitised rich text) as safe. Never pass user input here unsanitised. */
export function raw(markup: string): SafeHtml {
  return safe(markup);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return "";
  if (Array.isArray(value)) return value.map((v) => render(v as HtmlValue)).join("");
  if (isSafeHtml(value)) return value.value;
  return escapeHtml(String(value));
}

/** Tagged template: escapes every interpolation unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]);
    out += strings[i + 1] ?? "";
  }
  return safe(out);
}

/** Joins fragments with a separator (the separator is escaped if it is a plain string). */
export function join(parts: readonly HtmlValue[], separator: HtmlValue = ""): SafeHtml {
  const sep = render(separator);
  return safe(parts.map((p) => render(p)).join(sep));
}

// ---------------------------------------------------------------------------------------------------------------
// Chinese typography: tokens that must never break across lines (class `nowrap` in site.css; CSP forbids inline
// styles).

/** An unbreakable token: a date, 文号, 索引号, a number with its unit, a short name or a badge's text. */
export function noBreak(value: HtmlValue): SafeHtml {
  return html`<span class="nowrap">${value}</span>`;
}

/** A date (2026年3月16日, 2026-03-16) kept on one line; for a date and time use keepTokens(). */
export function dateToken(value: string | null | undefined, fallback = ""): SafeHtml {
  return value ? noBreak(value) : html`${fallback}`;
}

/**
 * Tokens found in generated running text (deadline explanations, period lines): dates in both spellings (a time
 * after a date may go to the next line, so narrow table columns stay narrow), 索引号, 文号 (〔2026〕9号), 第N日 and numbers with a unit (20个工作日, 15日, 3件, 12.5%, 2.5MB).
 */
const TOKEN =
  /\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{2}-\d{2}|[0-9A-Z]{6,}\/\d{4}-\d{3,}|[〔[［(（]\d{4}[〕\]］)）]\d+号|第\d+[日天条款项]|\d+(?:\.\d+)?(?:个工作日|个自然日|个月|日|天|年|件|条|项|个|%|元|万元|[KMG]B)/g;

/** Escapes running text and keeps every date, 索引号, 文号 and number with its unit in it on one line. */
export function keepTokens(text: string): SafeHtml {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    out += escapeHtml(text.slice(last, m.index)) + noBreak(m[0]).value;
    last = m.index + m[0].length;
  }
  return safe(out + escapeHtml(text.slice(last)));
}
