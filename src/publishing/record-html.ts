/**
 * @module Rich-text bodies: sanitising (sanitize-html, an allow-list), plain text for search and the personal-data
 * scan, and the links a body contains (for the internal link check). Pure.
 */
import { parse } from "node-html-parser";
import sanitizeHtml from "sanitize-html";

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
    "span",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "width", "height"],
    th: ["colspan", "rowspan", "scope"],
    td: ["colspan", "rowspan"],
    ol: ["start"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
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
