/**
 * @module External links (外部链接) of an agency's published records checked and stored: each URL's outcome from the
 * link checker and its domain's lapse (NXDOMAIN or parked, link-lapse.rules.ts), kept in `external_link_results`
 * (replaced at each run) for the inspection to count. The nightly link-check job runs it with the network checker
 * and the system DNS; tests inject both.
 */
import type { Deps } from "../deps.ts";
import { externalLinksOf } from "./compliance.service.ts";
import { checkDomain, type DomainResolver, type LinkOutcome } from "./link-check.ts";
import { type DomainLapse, LAPSE_LABELS, registeredDomain } from "./link-lapse.rules.ts";

export interface BrokenExternalLink {
  recordId: string;
  recordTitle: string;
  url: string;
  reason: string;
  lapse: DomainLapse | null;
}

/** The registered domain a URL points to (its host for an IP address; "" when the URL is malformed). */
function domainOf(url: string): string {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return registeredDomain(host) ?? host;
  } catch {
    return "";
  }
}

/**
 * Checks the agency's external links (`check` returns URL → outcome), the domains they point to, and stores the
 * results. A lapsed domain's links are broken even when the parking page answers 200.
 */
export async function checkAgencyExternalLinks(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  options: {
    check: (urls: string[]) => Promise<Map<string, LinkOutcome>>;
    resolver: DomainResolver;
    signal?: AbortSignal | undefined;
  },
): Promise<{ checked: number; broken: BrokenExternalLink[] }> {
  const links = await externalLinksOf(deps, agencyId);
  const outcomes = await options.check(links.map((l) => l.url));
  const lapses = new Map<string, DomainLapse | null>();
  for (const domain of new Set(links.map((l) => domainOf(l.url)).filter((d) => d !== ""))) {
    if (options.signal?.aborted) break;
    lapses.set(domain, await checkDomain(domain, options.resolver));
  }
  const rows = new Map<string, { domain: string; reason: string | null; lapse: DomainLapse | null }>();
  for (const l of links) {
    const domain = domainOf(l.url);
    const lapse = lapses.get(domain) ?? null;
    const outcome = outcomes.get(l.url) ?? null;
    rows.set(l.url, { domain, reason: lapse ? LAPSE_LABELS[lapse] : outcome, lapse });
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("external_link_results").where("agency_id", "=", agencyId).execute();
    const values = [...rows].map(([url, r]) => ({
      agency_id: agencyId,
      url: url.slice(0, 4000),
      domain: r.domain,
      reason: r.reason,
      lapse: r.lapse,
    }));
    for (let i = 0; i < values.length; i += 500)
      await trx
        .insertInto("external_link_results")
        .values(values.slice(i, i + 500))
        .execute();
  });
  const broken = links.flatMap((l) => {
    const r = rows.get(l.url);
    return r?.reason ? [{ ...l, reason: r.reason, lapse: r.lapse }] : [];
  });
  return { checked: rows.size, broken };
}
