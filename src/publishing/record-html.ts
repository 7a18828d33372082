/**
 * @module Rich-text bodies: sanitising (sanitize-html, an allow-list), plain text for search and the personal-data
 * scan, and the links a body contains (for the internal link check). Pure.
 *
 * Whatever the console's editor (/static/editor.js) or a paste from Word/WPS sends passes through `prepareBody`:
 * styles, classes, spans, fonts, comments, Office namespaces (o:p, w:…) and conditional comments are removed;
 * headings, paragraphs, lists, tables and links stay, and images whose source is an attachment on this platform
 * (PLATFORM_IMAGE_SRC: the editor uploads pasted pictures first); data:, file: and other hosts' images go. A body typed without JavaScript (plain text,
 * no tags) becomes paragraphs at blank lines.
 */
import { parse } from "node-html-parser";
import sanitizeHtml from "sanitize-html";
import { PLATFORM_IMAGE_SRC } from "./record.paths.ts";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "sub",
    "sup",
    "blockquote",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "hr",
    "div",
  ],
  // Contents dropped with the element (Word's <xml> blocks and <style> sheets, documents' <title>).
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "xml", "title", "head"],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "width", "height"],
    th: ["colspan", "rowspan", "scope"],
    td: ["colspan", "rowspan"],
    ol: ["start"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // Word writes a blank line as <p class=MsoNormal><o:p>&nbsp;</o:p></p>: empty paragraphs and divs go, and so
  // do images not stored on the platform (file:, data:, other hosts: the editor uploads pasted pictures first).
  exclusiveFilter: (frame) =>
    (frame.tag === "img" && !PLATFORM_IMAGE_SRC.test((frame.attribs.src ?? "").trim())) ||
    ((frame.tag === "p" || frame.tag === "div") &&
      frame.text.replace(/[\s\u00a0\u3000]/g, "") === "" &&
      frame.mediaChildren.length === 0),
  // h1 is the page title: demote headings in bodies.
  transformTags: {
    h1: "h2",
    a: (tagName, attribs) => {
      const href = attribs.href ?? "";
      const external = /^https?:\/\//i.test(href);
      return {
        tagName,
        attribs: external ? { ...attribs, rel: "noopener noreferrer" } : attribs,
      };
    },
  },
};

/** Tags that make a submitted body HTML rather than plain text typed in the bare textarea. */
const HTML_TAG =
  /<\/?(?:p|br|h[1-6]|ul|ol|li|table|tr|td|th|div|span|strong|b|em|i|u|a|img|blockquote|hr|sub|sup)\b[^>]*>/i;

/** True when the body carries HTML markup (the editor's output, a paste, an API client's HTML). */
export function looksLikeHtml(body: string): boolean {
  return HTML_TAG.test(body);
}

/**
 * The stored form of a submitted body: plain text (the textarea without JavaScript) becomes paragraphs at blank
 * lines (single line breaks stay as <br>); HTML is sanitised. Either way the result is safe to render.
 */
export function prepareBody(body: string): string {
  return sanitizeBody(looksLikeHtml(body) ? body : textToHtml(body));
}

/** Sanitised HTML safe to render with `raw()`. */
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Plain text of an HTML body: block elements become line breaks. */
export function bodyText(html: string): string {
  if (html.trim() === "") return "";
  return parse(html, { blockTextElements: {} })
    .structuredText.replace(/\u00a0/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Converts plain text (API clients, imports) to paragraphs of HTML. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}|\r\n\r\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map(
      (p) =>
        `<p>${p.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!).replace(/\n/g, "<br>")}</p>`,
    )
    .join("\n");
}

export interface BodyLink {
  tag: "a" | "img";
  url: string;
  text: string;
}

/** Every href/src in a body. */
export function extractLinks(html: string): BodyLink[] {
  if (html.trim() === "") return [];
  const root = parse(html);
  const out: BodyLink[] = [];
  for (const a of root.querySelectorAll("a")) {
    const href = a.getAttribute("href");
    if (href) out.push({ tag: "a", url: href, text: a.text.trim() });
  }
  for (const img of root.querySelectorAll("img")) {
    const src = img.getAttribute("src");
    if (src) out.push({ tag: "img", url: src, text: img.getAttribute("alt") ?? "" });
  }
  return out;
}

/**
 * The site-relative path of an internal link, or null for external links (other hosts, mailto:) and fragments.
 * `publicUrl` is the site's base URL (config.publicUrl).
 */
export function internalPath(url: string, publicUrl: string): string | null {
  const u = url.trim();
  if (u === "" || u.startsWith("#") || /^mailto:/i.test(u)) return null;
  if (u.startsWith("/") && !u.startsWith("//")) return u.split("#")[0]!;
  if (/^https?:\/\//i.test(u)) {
    try {
      const target = new URL(u);
      const base = new URL(publicUrl);
      if (target.host !== base.host) return null;
      return `${target.pathname}${target.search}`;
    } catch {
      return null;
    }
  }
  return null;
}
