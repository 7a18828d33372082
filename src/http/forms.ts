/**
 * @module Accessible form helpers for server-rendered pages: labelled fields with hints and field-level errors
 * (`aria-invalid`, `aria-describedby`), an error summary linking to each field, and the CSRF hidden input.
 *
 *   const errors = fieldErrors(e);                          // from an AppError validation_failed
 *   html`<form method="post" class="stack">${csrfInput(ctx)}${errorSummary(errors)}
 *     ${textField({ name: "title", label: "标题", value, errors, required: true })}</form>`
 */
import { type AppError, type FieldError, isAppError } from "../errors.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { PageContext } from "./layout.ts";

export type FieldErrors = Record<string, string>;

/** Field errors of a validation error, keyed by field name. */
export function fieldErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (isAppError(error)) for (const f of (error as AppError).fields) out[f.field] ??= f.message;
  return out;
}

export function toFieldErrors(list: FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const f of list) out[f.field] ??= f.message;
  return out;
}

export function csrfInput(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">`;
}

/** Turns a field name into a safe element id. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** An error summary (role=alert) with links to the invalid fields; `labels` maps field names to labels. */
export function errorSummary(
  errors: FieldErrors,
  labels: Record<string, string> = {},
  message?: string,
): SafeHtml {
  const names = Object.keys(errors);
  if (names.length === 0 && !message) return html``;
  return html`<div class="notice notice-error" role="alert" tabindex="-1" id="error-summary">
<p><strong>${message ?? "提交的内容有误，请修改以下各项："}</strong></p>
${names.length ? html`<ul>${names.map((n) => html`<li><a href="#${fieldId(n)}">${labels[n] ? `${labels[n]}：` : ""}${errors[n]}</a></li>`)}</ul>` : ""}
</div>`;
}

export interface FieldOptions {
  name: string;
  /** The element id, when a page has two fields of one name (two forms); default `fieldId(name)`. */
  id?: string | undefined;
  label: string;
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
  type?: "text" | "password" | "email" | "tel" | "number" | "date" | "datetime-local" | "search";
  required?: boolean;
  autocomplete?: string | undefined;
  maxlength?: number | undefined;
  inputmode?: string | undefined;
}

function describedBy(id: string, hint: boolean, error: boolean): string {
  return [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
}

export function textField(o: FieldOptions): SafeHtml {
  const id = o.id ?? fieldId(o.name);
  const error = o.errors?.[o.name];
  const desc = describedBy(id, !!o.hint, !!error);
  return html`<div class="field">
<label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ""}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ""}
<input type="${o.type ?? "text"}" id="${id}" name="${o.name}"${o.type === "password" ? "" : html` value="${o.value ?? ""}"`}${o.required ? html` required aria-required="true"` : ""}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""}${o.maxlength ? html` maxlength="${String(o.maxlength)}"` : ""}${o.inputmode ? html` inputmode="${o.inputmode}"` : ""}${error ? html` aria-invalid="true"` : ""}${desc ? html` aria-describedby="${desc}"` : ""}>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
</div>`;
}

export function selectField(
  o: Omit<FieldOptions, "type" | "autocomplete" | "maxlength" | "inputmode"> & {
    options: { value: string; label: string; group?: string; groupKey?: string }[];
    emptyLabel?: string;
    /** Name of the select whose value picks the group shown (options' `groupKey`); /static/console.js filters live. */
    dependsOn?: string;
  },
): SafeHtml {
  const id = fieldId(o.name);
  const error = o.errors?.[o.name];
  const desc = describedBy(id, !!o.hint, !!error);
  const opt = (v: { value: string; label: string }) =>
    html`<option value="${v.value}"${v.value === o.value ? html` selected` : ""}>${v.label}</option>`;
  return html`<div class="field">
<label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ""}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ""}
<select id="${id}" name="${o.name}"${o.dependsOn ? html` data-depends-on="${fieldId(o.dependsOn)}"` : ""}${o.required ? html` required aria-required="true"` : ""}${error ? html` aria-invalid="true"` : ""}${desc ? html` aria-describedby="${desc}"` : ""}>
${o.emptyLabel !== undefined ? html`<option value="">${o.emptyLabel}</option>` : ""}
${groupedOptions(o.options, opt)}
</select>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
</div>`;
}

/**
 * Options in their groups: consecutive options sharing `group` go into one `<optgroup label>` (options without a
 * group stay top-level), so a long list such as the 公开内容（要素） of every catalog item reads item by item.
 */
export function groupedOptions<T extends { group?: string | undefined; groupKey?: string | undefined }>(
  options: readonly T[],
  render: (o: T) => SafeHtml,
): SafeHtml[] {
  const out: SafeHtml[] = [];
  let i = 0;
  while (i < options.length) {
    const group = options[i]?.group;
    const key = options[i]?.groupKey;
    if (group === undefined) {
      out.push(render(options[i] as T));
      i++;
      continue;
    }
    const members: SafeHtml[] = [];
    while (i < options.length && options[i]?.group === group && options[i]?.groupKey === key) {
      members.push(render(options[i] as T));
      i++;
    }
    out.push(html`<optgroup label="${group}"${key ? html` data-key="${key}"` : ""}>${members}</optgroup>`);
  }
  return out;
}

/** A string field from a parsed form/JSON body (trimmed unless `raw`), capped in length. */
export function bodyString(body: unknown, name: string, max = 2000, raw = false): string {
  if (!body || typeof body !== "object") return "";
  const v = (body as Record<string, unknown>)[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== "string") return "";
  const out = s.length > max ? s.slice(0, max) : s;
  return raw ? out : out.trim();
}

/** All values of a repeated field (checkboxes). */
export function bodyStrings(body: unknown, name: string, maxItems = 100): string[] {
  if (!body || typeof body !== "object") return [];
  const v = (body as Record<string, unknown>)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === "string").slice(0, maxItems);
}
