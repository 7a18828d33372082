/**
 * @module The console's rich-text editor: the vendored script (squire-rte's dist build, served from node_modules
 * without a bundler) and the page head that loads it with /static/editor.js and /static/editor.css. A form marks
 * its body textarea with `data-editor="rich"` (see docs/decisions/0003-rich-text-editor.md).
 */
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { html, type SafeHtml } from "../shared/html.ts";

/** URL prefix of vendored browser files. */
export const VENDOR_PREFIX = "/static/vendor/";

/**
 * Serves squire-rte's browser build (an IIFE defining window.Squire) from node_modules; no other file of the
 * package, and nothing else of node_modules, is reachable.
 */
export async function registerVendorAssets(app: FastifyInstance, nodeModules: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.join(nodeModules, "squire-rte", "dist"),
    prefix: `${VENDOR_PREFIX}squire/`,
    decorateReply: false,
    allowedPath: (pathName) => pathName === "/squire.js",
    maxAge: "7d",
    etag: true,
    lastModified: true,
  });
}

/** <head> elements of a page with a rich-text body field. */
export const EDITOR_HEAD: SafeHtml = html`<link rel="stylesheet" href="/static/editor.css">
<script src="${VENDOR_PREFIX}squire/squire.js" defer></script>
<script src="/static/editor.js" defer></script>`;
