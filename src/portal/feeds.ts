/**
 * @module RSS 2.0, Atom 1.0 and sitemap XML (pure). Text is escaped and characters XML 1.0 forbids are removed.
 */

/** Escapes text for XML element content and attribute values; drops characters XML 1.0 does not allow. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML forbids is the point
      .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "")
      .replace(
        /[&<>"']/g,
        (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
      )
  );
}

export interface FeedEntry {
  id: string;
  title: string;
  /** Absolute URL of the record page. */
  url: string;
  summary: string;
  /** Publication instant. */
  published: Date;
  updated: Date;
  author: string;
  categories: string[];
}

export interface Feed {
  title: string;
  description: string;
  /** Absolute URL of the HTML page the feed mirrors. */
  pageUrl: string;
  /** Absolute URL of the feed itself. */
  selfUrl: string;
  /** Stable id (tag: URI) of the feed. */
  id: string;
  updated: Date;
  entries: FeedEntry[];
}

function rfc822(d: Date): string {
  return d.toUTCString();
}

/** RSS 2.0. The publishing agency is `dc:creator`: RSS's own `<author>` must be an e-mail address (feed validators). */
export function rssXml(feed: Feed): string {
  const items = feed.entries.map(
    (e) => `<item>
<title>${escapeXml(e.title)}</title>
<link>${escapeXml(e.url)}</link>
<guid isPermaLink="true">${escapeXml(e.url)}</guid>
<pubDate>${rfc822(e.published)}</pubDate>
<dc:creator>${escapeXml(e.author)}</dc:creator>
${e.categories.map((c) => `<category>${escapeXml(c)}</category>`).join("\n")}
<description>${escapeXml(e.summary)}</description>
</item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${escapeXml(feed.title)}</title>
<link>${escapeXml(feed.pageUrl)}</link>
<description>${escapeXml(feed.description)}</description>
<language>zh-cn</language>
<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
<atom:link href="${escapeXml(feed.selfUrl)}" rel="self" type="application/rss+xml"/>
${items.join("\n")}
</channel>
</rss>
`;
}

export function atomXml(feed: Feed): string {
  const entries = feed.entries.map(
    (e) => `<entry>
<id>${escapeXml(e.id)}</id>
<title>${escapeXml(e.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(e.url)}"/>
<published>${e.published.toISOString()}</published>
<updated>${e.updated.toISOString()}</updated>
<author><name>${escapeXml(e.author)}</name></author>
${e.categories.map((c) => `<category term="${escapeXml(c)}"/>`).join("\n")}
<summary>${escapeXml(e.summary)}</summary>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
<id>${escapeXml(feed.id)}</id>
<title>${escapeXml(feed.title)}</title>
<subtitle>${escapeXml(feed.description)}</subtitle>
<link rel="alternate" type="text/html" href="${escapeXml(feed.pageUrl)}"/>
<link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>
<updated>${feed.updated.toISOString()}</updated>
${entries.join("\n")}
</feed>
`;
}

export interface SitemapUrl {
  loc: string;
  /** YYYY-MM-DD */
  lastmod?: string | null;
}

/** sitemaps.org 0.9; at most 50,000 URLs per file. */
export const SITEMAP_MAX_URLS = 50_000;

export function sitemapXml(urls: SitemapUrl[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls
  .slice(0, SITEMAP_MAX_URLS)
  .map(
    (u) =>
      `<url><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${escapeXml(u.lastmod)}</lastmod>` : ""}</url>`,
  )
  .join("\n")}
</urlset>
`;
}

/** A `tag:` URI (RFC 4151) for feed and entry ids that survive a change of host name. */
export function tagUri(publicUrl: string, specific: string): string {
  let host = "gongkai.invalid";
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // keep the default
  }
  return `tag:${host},2026:${specific}`;
}
