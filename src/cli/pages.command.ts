/**
 * @module `gongkai pages nginx-config [--upstream URL]`: prints the nginx configuration that serves the static pages
 * of STATIC_PAGES_DIR (src/http/static-pages.nginx.ts) with the app's own security headers; `--brotli` also serves the
 * brotli files (nginx needs Debian's libnginx-mod-http-brotli-static). No database.
 */
import { sessionCookieName } from "../accounts/session.service.ts";
import { loadConfig } from "../config.ts";
import { DISPLAY_COOKIE } from "../http/context.ts";
import { staticPageHeaders, staticPagesNginxConfig } from "../http/static-pages.nginx.ts";
import { CliError, type Command } from "./command.ts";

const USAGE = "gongkai pages nginx-config [--upstream http://127.0.0.1:3000] [--brotli]";

export const pagesNginxConfigCommand: Command = {
  name: "pages nginx-config",
  summary: "打印由 nginx 直接提供静态化页面的配置 / print the nginx configuration serving STATIC_PAGES_DIR",
  usage: USAGE,
  options: { upstream: { type: "string" }, brotli: { type: "boolean" } },
  async run({ values }, io, env) {
    const config = loadConfig({ ...env });
    if (!config.staticPagesDir)
      throw new CliError(
        "STATIC_PAGES_DIR is not set: static pages are off (set it for the app and for this command)",
      );
    const upstream =
      typeof values.upstream === "string" ? values.upstream : `http://127.0.0.1:${config.port}`;
    let nginx: ReturnType<typeof staticPagesNginxConfig>;
    try {
      nginx = staticPagesNginxConfig({
        dir: config.staticPagesDir,
        upstream,
        sessionCookie: sessionCookieName(config),
        displayCookie: DISPLAY_COOKIE,
        headers: await staticPageHeaders(config),
        brotli: values.brotli === true,
      });
    } catch (e) {
      throw new CliError(`${(e as Error).message}\nusage: ${USAGE}`, 2);
    }
    io.stdout.write(`${nginx.main}\n${nginx.server}`);
    return 0;
  },
};
