/**
 * @module The nginx configuration of the static pages (STATIC_PAGES_DIR; `gongkai pages nginx-config` prints it):
 * nginx answers GET/HEAD of a mirrored page from its file (gzip_static, ETag and 304 by nginx) and passes everything
 * else to the app (`try_files … @gongkai`). A file is only tried for a request without a query string, without the
 * session or display-mode cookie, without Authorization, whose raw URI is a mirrorable path (the same expression as
 * src/http/page-mirror.ts, so nginx's normalised `$uri` is the path the file was written for). The headers added
 * are the app's own for a cached page (helmet's, as src/http/security-headers.ts computes them, minus the ones cached
 * pages leave out; Cache-Control and Vary as src/http/page-cache.ts sends them).
 */
import type { Config } from "../config.ts";
import { LEAN_DROPPED } from "./page-cache.ts";
import { MIRRORABLE_PATH } from "./page-mirror.ts";
import { securityHeaders } from "./security-headers.ts";

export interface StaticPagesNginx {
  /** Maps, for the `http {}` block. */
  http: string;
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
 * A string as an nginx quoted string. Refuses `$` (nginx would read a variable) except in a map's regular
 * expression, which nginx compiles as it is.
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
  const http = `# Gongkai static pages (STATIC_PAGES_DIR=${o.dir}): maps, in the http {} block.
map $request_method $gongkai_static_method { GET ""; HEAD ""; default "m"; }
map $http_cookie $gongkai_static_cookie {
    default "";
    ${quote(`~${regexEscape(o.sessionCookie)}`, true)} "c";
    ${quote(`~${regexEscape(o.displayCookie)}`, true)} "c";
}
map $http_authorization $gongkai_static_auth { "" ""; default "a"; }
map $request_uri $gongkai_static_uri { ${quote(`~${MIRRORABLE_PATH}`, true)} ""; default "u"; }
map "$gongkai_static_method$gongkai_static_cookie$gongkai_static_auth$gongkai_static_uri" $gongkai_static_file {
    "" "$uri/index.html";
    default "/.gongkai-no-file";
}
`;
  const headers = o.headers.map(([name, value]) => `        add_header ${name} ${quote(value)};`).join("\n");
  const server = `    # Gongkai static pages: in the server {} block, instead of its location /.
    location / {
        root ${o.dir};
        try_files $gongkai_static_file @gongkai;
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
        proxy_pass ${o.upstream};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Connection "";
        proxy_http_version 1.1;
        proxy_read_timeout 120s;
    }
`;
  return { http, server };
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
