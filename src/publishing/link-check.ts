/**
 * @module External link check (外部链接检查) of published pages, run by the nightly job. Requests go only to the
 * http(s) URLs written in published records: one HEAD per distinct URL (GET when HEAD is refused), at most
 * 5 redirects (each re-checked), a 10-second timeout, 4 at a time, an identifying User-Agent, nothing sent but the
 * request line and headers, the body never read. Addresses are checked when the connection is made (the resolved IP,
 * so DNS cannot point a name at an internal host): loopback, private, link-local and other non-public ranges are
 * refused unless `allowPrivate` (the LINK_CHECK_ALLOW_PRIVATE setting, e.g. for an intranet portal or tests).
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { type DomainLapse, domainLapse, registeredDomain } from "./link-lapse.rules.ts";

export interface LinkCheckOptions {
  allowPrivate: boolean;
  userAgent: string;
  timeoutMs?: number;
  concurrency?: number;
  maxRedirects?: number;
}

/** A URL's outcome: null when it works, else the reason in Chinese. */
export type LinkOutcome = string | null;

const NON_PUBLIC = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  NON_PUBLIC.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["::", 127],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  NON_PUBLIC.addSubnet(address, prefix, "ipv6");

export function isPublicAddress(address: string): boolean {
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const ip = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
  const family = net.isIPv4(ip) ? "ipv4" : net.isIPv6(ip) ? "ipv6" : undefined;
  return family !== undefined && !NON_PUBLIC.check(ip, family);
}

class RefusedAddress extends Error {}

/** dns.lookup that refuses non-public addresses (used as the socket's lookup, so the checked IP is the one used). */
function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: false }, (err, address, family) => {
      if (err) return callback(err, "", 0);
      if (!allowPrivate && !isPublicAddress(address as string))
        return callback(new RefusedAddress(`${hostname} → ${address}`), "", 0);
      callback(null, address as string, family);
    });
  };
}

function request(url: URL, method: "HEAD" | "GET", o: Required<LinkCheckOptions>) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    // A literal IP in the URL bypasses lookup: check it here.
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (net.isIP(host) && !o.allowPrivate && !isPublicAddress(host)) {
      reject(new RefusedAddress(host));
      return;
    }
    const req = mod.request(
      url,
      {
        method,
        lookup: guardedLookup(o.allowPrivate),
        headers: { "user-agent": o.userAgent, accept: "*/*" },
        timeout: o.timeoutMs,
      },
      (res) => {
        res.resume();
        res.destroy();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** Checks one URL (following redirects). */
export async function checkExternalUrl(raw: string, options: LinkCheckOptions): Promise<LinkOutcome> {
  const o: Required<LinkCheckOptions> = { timeoutMs: 10_000, concurrency: 4, maxRedirects: 5, ...options };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "链接地址格式错误";
  }
  for (let hop = 0; hop <= o.maxRedirects; hop++) {
    if (url.protocol !== "http:" && url.protocol !== "https:") return "链接跳转到不支持的协议";
    let res: { status: number; location: string | undefined };
    try {
      res = await request(url, "HEAD", o);
      if (res.status === 405 || res.status === 501) res = await request(url, "GET", o);
    } catch (err) {
      if (err instanceof RefusedAddress) return "链接指向内部网络地址，未检查";
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "域名无法解析";
      if ((err as Error).message === "timeout") return "连接超时";
      return `无法连接（${code ?? (err as Error).message}）`;
    }
    if (res.status >= 300 && res.status < 400 && res.location) {
      url = new URL(res.location, url);
      continue;
    }
    if (res.status === 404 || res.status === 410) return `页面不存在（HTTP ${res.status}）`;
    if (res.status >= 400) return `访问出错（HTTP ${res.status}）`;
    return null;
  }
  return "跳转次数过多";
}

/** Checks distinct URLs, a few at a time; returns URL → outcome. */
export async function checkExternalUrls(
  urls: readonly string[],
  options: LinkCheckOptions,
  signal?: AbortSignal,
): Promise<Map<string, LinkOutcome>> {
  const distinct = [...new Set(urls)];
  const out = new Map<string, LinkOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < distinct.length && !signal?.aborted) {
      const url = distinct[next++]!;
      out.set(url, await checkExternalUrl(url, options));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, distinct.length) }, worker));
  return out;
}

/** DNS answers the lapsed-domain check needs (injected in tests; `systemResolver` asks the system's DNS). */
export interface DomainResolver {
  /** Name servers of a registered domain; rejects with code ENOTFOUND when the domain does not exist (NXDOMAIN). */
  nameServers(domain: string): Promise<string[]>;
}

/** The system's DNS, one try of at most 3 seconds per question (a slow resolver must not stall the nightly job). */
export const systemResolver: DomainResolver = {
  nameServers: async (domain) => {
    try {
      return await new dns.promises.Resolver({ timeout: 3000, tries: 1 }).resolveNs(domain);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENODATA") return [];
      throw e;
    }
  },
};

/** Whether the domain of `host` has lapsed (NXDOMAIN or parked); null when it has not or DNS did not answer. */
export async function checkDomain(host: string, resolver: DomainResolver): Promise<DomainLapse | null> {
  const domain = registeredDomain(host);
  if (!domain) return null;
  try {
    return domainLapse({ notFound: false, nameServers: await resolver.nameServers(domain) });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOTFOUND"
      ? domainLapse({ notFound: true, nameServers: [] })
      : null;
  }
}
