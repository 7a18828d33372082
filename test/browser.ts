/**
 * Shared parts of the browser tests (*.browser.test.ts): Debian's Chromium through playwright-core, a staff
 * session as browser cookies, axe-core run under the app's real CSP (evaluated through the DevTools protocol, which
 * CSP does not govern), and the layout checks of the visual test (horizontal overflow, date tokens split across
 * lines).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const CHROMIUM = "/usr/bin/chromium";
const AXE_SOURCE = path.join(ROOT, "node_modules", "axe-core", "axe.min.js");

export async function launchChromium(): Promise<Browser> {
  assert.ok(
    fs.existsSync(CHROMIUM),
    "Debian chromium is installed (apt-get install -y chromium fonts-noto-cjk)",
  );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The base URL of an app listening on an ephemeral port. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

/** A browser context signed in as the user (a real server-side session), CSP enforced. */
export async function staffContext(
  browser: Browser,
  app: FastifyInstance,
  base: string,
  userId: string,
  viewport = { width: 1280, height: 900 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: "zh-CN" });
  const creds = await app.credentials.forUser(userId);
  await context.addCookies(
    creds.cookie.split(/;\s*/).map((c) => {
      const i = c.indexOf("=");
      return { name: c.slice(0, i), value: c.slice(i + 1), url: base };
    }),
  );
  return context;
}

/** Console messages that report a CSP refusal (the editor must work under the strict policy). */
export function watchCsp(page: Page): string[] {
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** axe-core (WCAG 2.1 A/AA + best practice) on the current page: zero violations, or a readable failure. */
export async function axe(page: Page, label: string): Promise<void> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) {
    await page.evaluate(fs.readFileSync(AXE_SOURCE, "utf8"));
  }
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })`,
  )) as { violations: AxeViolation[] };
  const summary = result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)}`)
        .join("\n    ")}`,
  );
  assert.deepEqual(summary, [], `${label}: axe violations\n${summary.join("\n")}`);
}

/**
 * Elements wider than the viewport (their right edge beyond it, ignoring content inside horizontally scrollable
 * boxes), as short descriptions. Empty when nothing overflows.
 */
export async function overflowingElements(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    const inScroller = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (/(auto|scroll|hidden)/.test(s.overflowX) && p.scrollWidth > p.clientWidth - 1) return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > width + 1 && !inScroller(el)) {
        out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " right=" + Math.round(r.right) + " > " + width + ": " + (el.textContent || "").trim().slice(0, 40));
      }
    }
    if (document.documentElement.scrollWidth > width + 1) out.unshift("document scrollWidth " + document.documentElement.scrollWidth + " > " + width);
    return out.slice(0, 10);
  })()`)) as string[];
}

/**
 * Date tokens (2026年3月16日, 2026-03-16, 2026年3月), 索引号 (e.g. 11371500MB2849210X/2026-0009) and 文号 numbers
 * (〔2026〕9号) rendered on more than one line: each occurrence in a visible text node is measured with
 * Range.getClientRects.
 */
export async function splitTokens(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const pattern = /\\d{4}年\\d{1,2}月(?:\\d{1,2}日)?|\\d{4}-\\d{2}-\\d{2}|[0-9A-Z]{6,}\\/\\d{4}-\\d{3,}|〔\\d{4}〕\\d+号/g;
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("script,style,textarea,option,select,[hidden]")) continue;
      for (const m of node.data.matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
        if (rects.length === 0) continue;
        const tops = new Set(rects.map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0] + " in <" + parent.tagName.toLowerCase() + "> " + (parent.textContent || "").trim().slice(0, 40));
      }
    }
    return out.slice(0, 10);
  })()`)) as string[];
}
