/**
 * Debian's nginx for tests and benches: one process (master_process off, like one Gongkai process), a temporary
 * prefix, a free port on 127.0.0.1, the given main, http {} and server {} parts. `nginxBinary()` is undefined when nginx
 * is not installed (Debian: apt-get install nginx).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./bench.ts";

export function nginxBinary(): string | undefined {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", ...(process.env.PATH ?? "").split(":")]) {
    const p = path.join(dir, "nginx");
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

export interface RunningNginx {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Debian's brotli_static module (package libnginx-mod-http-brotli-static). */
export const BROTLI_STATIC_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

export async function startNginx(parts: {
  http?: string;
  server: string;
  modules?: string[];
  /** Directives of the main context (e.g. `pcre_jit on;`). */
  main?: string;
}): Promise<RunningNginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error("nginx is not installed (Debian: apt-get install nginx)");
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-nginx-"));
  const port = await freePort();
  const config = `${(parts.modules ?? []).map((m) => `load_module ${m};\n`).join("")}${parts.main ? `${parts.main}\n` : ""}daemon off;
master_process off;
worker_processes 1;
error_log ${prefix}/error.log warn;
pid ${prefix}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp-body;
  proxy_temp_path ${prefix}/tmp-proxy;
  fastcgi_temp_path ${prefix}/tmp-fastcgi;
  uwsgi_temp_path ${prefix}/tmp-uwsgi;
  scgi_temp_path ${prefix}/tmp-scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
${parts.http ?? ""}
  server {
    listen 127.0.0.1:${port};
${parts.server}
  }
}
`;
  fs.writeFileSync(path.join(prefix, "nginx.conf"), config);
  const child = spawn(binary, ["-p", prefix, "-c", path.join(prefix, "nginx.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    fs.rmSync(prefix, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${url}/.gongkai-probe`, { method: "HEAD" }).then(
      () => true,
      () => false,
    );
    if (up) return { url, pid: child.pid ?? 0, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = fs.existsSync(path.join(prefix, "error.log"))
    ? fs.readFileSync(path.join(prefix, "error.log"), "utf8")
    : "";
  await stop();
  throw new Error(`nginx did not start: ${stderr.slice(0, 1000)} ${log.slice(0, 2000)}`);
}
