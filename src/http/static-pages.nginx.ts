/**
 * @module The nginx configuration of the static pages (STATIC_PAGES_DIR; `gongkai pages nginx-config` prints it):
 * nginx answers GET/HEAD of a mirrored page from its file (gzip_static, ETag and 304 by nginx) and passes everything
 * else to the app. A file is only looked for for a request without a query string, without the session or
 * display-mode cookie, without Authorization, without weights, `*` or x-gzip in its Accept-Encoding (nginx's modules
 * do not weigh them; the app does), whose raw URI is a mirrorable path (the same expression as
 * src/http/page-mirror.ts, so nginx's normalised `$uri` is the path the file was written for); any other request goes
 * to the app without touching the disk (`return 418` → `error_page 418 = @gongkai`, a named location: method, body
 * and raw URI kept, the app's status sent). The file is opened directly (`rewrite` to `$uri/index.html`, no
 * `try_files` and its extra `stat`); when it is missing the static handler's 404 goes to `@gongkai_page`, which
 * restores the request's own URI (the rewrite changed it) and asks the app. The headers added are the app's own for
 * a cached page (helmet's, as src/http/security-headers.ts computes them, minus the ones cached pages leave out;
 * Cache-Control and Vary as src/http/page-cache.ts sends them).
 *
 * Cost per page served (docs/performance.md): the checks are `if`s evaluated in order (no maps, no http {} part),
 * and `pcre_jit on` (the main part) compiles their regular expressions to machine code (without it nginx interprets
 * them: ~2,700 more instructions per page, ~15 %).
 */
import type { Config } from "../config.ts";
import { LEAN_DROPPED } from "./page-cache.ts";
import { MIRRORABLE_PATH } from "./page-mirror.ts";
import { securityHeaders } from "./security-headers.ts";

export interface StaticPagesNginx {
  /** For the main context of nginx.conf (outside `http {}`): `pcre_jit on;`. */
  main: string;
  /** The locations, for the `server {}` block (instead of its `location /`). */
  server: string;
}

export interface StaticPagesNginxOptions {
  dir: string;
  /** Where the app listens: `http://127.0.0.1:3000`, or `http://<upstream name>`. */
  upstream: string;
  sessionCookie: string;
  displayCookie: string;
  /** Response headers of a cached page (name, value). */
  headers: readonly (readonly [string, string])[];
  /** Serve the brotli files too (`brotli_static on`: needs Debian's libnginx-mod-http-brotli-static). */
  brotli?: boolean;
}

/**
 * A string as an nginx quoted string. Refuses `$` (nginx would read a variable) except in a regular expression,
 * which nginx compiles as it is.
 */
function quote(value: string, regex = false): string {
  if ((!regex && value.includes("$")) || /[\r\n]/.test(value))
    throw new Error(`cannot put into nginx configuration: ${value}`);
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function staticPagesNginxConfig(o: StaticPagesNginxOptions): StaticPagesNginx {
  if (!/^https?:\/\/[A-Za-z0-9._:[\]-]+$/.test(o.upstream))
    throw new Error(`upstream must be http://host:port or http://<upstream name>, got "${o.upstream}"`);
  const main = `# Gongkai static pages (STATIC_PAGES_DIR=${o.dir}): in the main context of nginx.conf (outside http {}),
# unless it is there already: the regular expressions below compiled to machine code.
pcre_jit on;
`;
  // Each condition sends the request to the app; in this order, the cheapest first.
  const toApp = [
    `$request_method !~ "^(?:GET|HEAD)$"`,
    `$http_authorization != ""`,
    `$http_cookie ~ ${quote(`${regexEscape(o.sessionCookie)}|${regexEscape(o.displayCookie)}`, true)}`,
    `$request_uri !~ ${quote(MIRRORABLE_PATH, true)}`,
    // Accept-Encoding with weights, `*` or x-gzip (br;q=0, gzip;q=0.5, *;q=0, identity;q=0): gzip_static and
    // brotli_static do not weigh codings as RFC 9110 §12.5.3 asks (neither knows `*` or x-gzip), so the app's hit
    // path negotiates these (page-cache.ts chooseEncoding). Browsers send plain lists (gzip, deflate, br, zstd),
    // which nginx answers as the app would (tested).
    `$http_accept_encoding ~ "[;*]|x-gzip"`,
  ]
    .map((condition) => `        if (${condition}) {\n            return 418;\n        }\n`)
    .join("");
  const headers = o.headers.map(([name, value]) => `        add_header ${name} ${quote(value)};`).join("\n");
  const proxy = `        proxy_pass ${o.upstream};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Connection "";
        proxy_http_version 1.1;
        proxy_read_timeout 120s;`;
  const server = `    # Gongkai static pages: in the server {} block, instead of its location /.
    location / {
        # What must reach the app (another method, Authorization, a session or display cookie, a query string or an
        # unsafe path) goes there without touching the disk; 418 is never sent.
        error_page 418 = @gongkai;
${toApp}        # The page's file, opened directly; a missing one (not rendered yet, or deleted by a change) is the app's.
        root ${o.dir};
        rewrite ^ $uri/index.html break;
        error_page 404 = @gongkai_page;
        log_not_found off;
        types { text/html html; }
        charset utf-8;
        gzip_static on;
${o.brotli ? "        brotli_static on;\n" : ""}        # Validators from the files (their mtime is a digest of their bytes, src/http/page-mirror.ts); never a cached
        # descriptor of a file the app deleted; no expiry of the server's.
        etag on;
        if_modified_since exact;
        open_file_cache off;
        expires off;
${headers}
    }
    location @gongkai {
${proxy}
    }
    # A page without its file: the request's own URI again (a mirrorable path, no query string), for the app.
    location @gongkai_page {
        rewrite ^ $request_uri break;
${proxy}
    }
`;
  return { main, server };
}

/** The headers nginx adds to a static page: the app's for a cached page. */
export async function staticPageHeaders(config: Pick<Config, "cookieSecure">): Promise<[string, string][]> {
  const dropped: readonly string[] = LEAN_DROPPED;
  const own = (await securityHeaders(config)).filter(([name]) => !dropped.includes(name));
  return [
    ...own,
    ["cache-control", "public, no-cache"],
    ["vary", "Cookie, Accept-Encoding"],
    ["x-cache", "static"],
  ];
}
