/**
 * @module Lapsed domains (失效域名) of external links: a domain that no longer exists (DNS NXDOMAIN) or that is
 * parked — its name servers are a registrar's expiry servers or a parking/for-sale service, so the old link now shows
 * a 待售/停放 page (and may be taken over). 国办秘函〔2019〕19号 counts unusable links against a site;
 * 《政府网站发展指引》(国办发〔2017〕47号) requires external links to be checked so that they stay valid and safe.
 * Pure: the DNS answers come from the caller.
 */
import parkingData from "./data/parking-name-servers.json" with { type: "json" };

export type DomainLapse = "nxdomain" | "parked";

/** One name-server pattern of a parking, for-sale or registrar-expiry service (data/parking-name-servers.json). */
export interface ParkingNameServer {
  provider: string;
  /** SQL LIKE syntax as the sources write it: `%` is any run of characters (ns%.parkingcrew.net). */
  pattern: string;
  source: string;
}

/** The shipped list: the NS indicators of the TMA 2022 parking study plus registrars' expiry name servers. */
export const PARKING_NAME_SERVERS: readonly ParkingNameServer[] = parkingData.entries;

/** A LIKE pattern as an anchored, case-insensitive regular expression (`%` → `.*`, everything else literal). */
export function likePattern(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .replace(/\.$/, "")
    .split("%")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`);
}

const PARKING_PATTERNS: readonly { re: RegExp; provider: string }[] = PARKING_NAME_SERVERS.map((e) => ({
  re: likePattern(e.pattern),
  provider: e.provider,
}));

/** The parking service a name server belongs to, or null. */
export function parkingProvider(nameServer: string): string | null {
  const n = nameServer.toLowerCase().replace(/\.$/, "");
  return PARKING_PATTERNS.find((p) => p.re.test(n))?.provider ?? null;
}

export const LAPSE_LABELS: Record<DomainLapse, string> = {
  nxdomain: "域名已不存在（已注销或过期）",
  parked: "域名已被停放或待售（指向停放页）",
};

/**
 * The lapse of a domain from its DNS answers: `resolves` false with `notFound` (NXDOMAIN) → nxdomain; name servers
 * of a parking service → parked; otherwise null (a temporary DNS failure is not a lapse).
 */
export function domainLapse(answer: {
  notFound: boolean;
  nameServers: readonly string[];
}): DomainLapse | null {
  if (answer.notFound) return "nxdomain";
  const parked = answer.nameServers.some((ns) => parkingProvider(ns) !== null);
  return parked ? "parked" : null;
}

/** Second-level public suffixes under which a registered domain has three labels (gov.cn, com.cn …). */
const TWO_LEVEL_SUFFIX = /\.(?:com|net|org|gov|edu|ac)\.(?:cn|hk|tw|uk)$|\.(?:bj|sh|tj|cq|zj|js|gd|sd)\.cn$/;

/** The registered domain of a host name (www.example.com.cn → example.com.cn); null for an IP address. */
export function registeredDomain(host: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (/^[\d.]+$/.test(h) || h.includes(":")) return null;
  const labels = h.split(".");
  const keep = TWO_LEVEL_SUFFIX.test(h) ? 3 : 2;
  return labels.length <= keep ? h : labels.slice(-keep).join(".");
}
