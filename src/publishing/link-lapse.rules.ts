/**
 * @module Lapsed domains (失效域名) of external links: a domain that no longer exists (DNS NXDOMAIN) or that is
 * parked — its name servers are a registrar's expiry servers or a parking/for-sale service, so the old link now shows
 * a 待售/停放 page (and may be taken over). 国办秘函〔2019〕19号 counts unusable links against a site;
 * 《政府网站发展指引》(国办发〔2017〕47号) requires external links to be checked so that they stay valid and safe.
 * Pure: the DNS answers come from the caller.
 */

export type DomainLapse = "nxdomain" | "parked";

/**
 * Name servers of parking and for-sale services and of registrars' expiry/parking zones (suffix match). A province's
 * own list can extend it.
 */
export const PARKING_NAME_SERVERS: readonly RegExp[] = [
  /(^|\.)sedoparking\.com$/,
  /(^|\.)parkingcrew\.net$/,
  /(^|\.)bodis\.com$/,
  /(^|\.)above\.com$/,
  /(^|\.)parklogic\.com$/,
  /(^|\.)dan\.com$/,
  /(^|\.)afternic\.com$/,
  /(^|\.)hugedomains\.com$/,
  /(^|\.)pendingrenewaldeletion\.com$/,
  /(^|\.)domaincontrol-parking\.com$/,
  /^expirens\d*\.hichina\.com$/,
];

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
  const parked = answer.nameServers.some((ns) => {
    const n = ns.toLowerCase().replace(/\.$/, "");
    return PARKING_NAME_SERVERS.some((re) => re.test(n));
  });
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
