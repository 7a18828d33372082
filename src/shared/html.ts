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
