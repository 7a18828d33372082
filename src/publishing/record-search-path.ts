/**
 * @module The path a record search takes (record-search.read.ts): its estimated matches from the statistics
 * (record-search-stats.ts), whether it goes straight to the date walk (surelyCommon), and the samples that correct a
 * phrase's estimate — the newest records whose signature holds its bits, and the GIN index's own first candidates
 * (indexSample), whose matches also tell which years are dense (denseYears).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { bucketCodeOf, termGrams } from "./record-search.rules.ts";
import {
  excluding,
  groupsOf,
  matchCodes,
  matchSig,
  matchText,
  type RecordSearchFilter,
  sampleKey,
  sigCandidatesAmongNewest,
} from "./record-search.sql.ts";
import { facetCounts, facetJson } from "./record-search-facets.ts";
import {
  type FacetRow,
  type PhraseSample,
  type SearchStats,
  termShare,
  valueShare,
  yearShare,
} from "./record-search-stats.ts";
import { YEAR_PROBE } from "./record-search-years.read.ts";

/**
 * Estimated matches of the filter from statistics (`n`), and the part of it that is sure to be of that order
 * (`sure`: the terms whose every token code is in the most-common-elements list); undefined without statistics.
 * A term with a code not listed has only an upper bound: it may be rare.
 */
export function estimateMatches(
  stats: SearchStats,
  f: RecordSearchFilter,
  withFilters = true,
): { n: number; sure: number } | undefined {
  // Several groups (words that must all occur): at most the rarest group's share; "sure" as if the words occurred
  // independently (a guess that chooseWalk's sample corrects, as for a phrase).
  let share = 1;
  let sureShare = 1;
  for (const group of f.terms.length ? groupsOf(f) : []) {
    let gShare = 0;
    let gSure = 0;
    for (const t of group) {
      const s = termShare(stats, termGrams(t).codes);
      if (s === undefined) return undefined;
      gShare += s.share;
      if (s.listed) gSure += s.share;
    }
    share = Math.min(share, gShare);
    sureShare *= Math.min(1, gSure);
  }
  if (stats.rows <= 0) return undefined;
  let base = stats.rows * valueShare(stats, "status", "published");
  if (f.agencyId) base *= valueShare(stats, "agency_id", f.agencyId);
  if (withFilters) {
    if (f.year) base *= yearShare(stats, f.year);
    if (f.validity) base *= valueShare(stats, "validity", f.validity === "未标注" ? null : f.validity);
    if (f.genre) base *= valueShare(stats, "genre", f.genre);
    if (f.itemStableKeys) base *= 0.1;
  }
  return { n: Math.round(base * Math.min(1, share)), sure: Math.round(base * Math.min(1, sureShare)) };
}

/**
 * Statistics must show more than this many times the cap for a search to go straight to the date walk. For a term
 * of one or two characters the share is the code's own frequency in ANALYZE's sample (300 × 300 records: exact in
 * a table of up to 90,000, within a few per cent beyond), so 1.5 × leaves a wide margin; a longer term's share is
 * its rarest pair's, an upper bound, which phrasePrecision corrects first.
 */
export const SURE_FACTOR = 1.5;

/**
 * Whether a search goes straight to the date walk: only when statistics show for certain that it matches more
 * than SURE_FACTOR times the cap (a query with expansions: its listed terms alone do). Otherwise the capped index
 * path runs first — it stops after cap + 1 matches, so trying it costs little even when the estimate was low,
 * whereas walking the date order for a word that is in fact rare reads every record (a rare word whose code was
 * missing from the statistics took 24 s at 200,000 records that way).
 */
export function surelyCommon(estimate: { n: number; sure: number } | undefined, cap: number): boolean {
  return estimate !== undefined && estimate.sure > SURE_FACTOR * cap;
}

/** Records sampled (the newest whose signature holds the query's bits) to correct a phrase's estimate. */
export const PRECISION_SAMPLE = 200;

/**
 * The sample looks among the newest this many records only (index entries): a selective signature (〔2019〕, whose
 * records are years back) made a sample bounded by candidates alone read 460,000 entries (185 ms).
 */
export const SAMPLE_ENTRIES = 5_000;

/**
 * The estimate a search's path is chosen by, and whether it takes the date walk. A term of three or more
 * characters is estimated by its rarest pair, which can be far above the term itself (every pair of 执行规定 is
 * common; the phrase need not be): when such an estimate says "common", the newest PRECISION_SAMPLE records whose
 * signature holds the query's bits are verified and the estimate is scaled by the share that match; the walk is
 * taken when the scaled estimate is above the cap. Fewer candidates than the sample means the whole table was
 * looked at: the count is then known and small. (A phrase estimated just above the cap may in fact have a few
 * fewer matches and be shown as 「约 N 条」: docs/scaling.md, known limits.)
 */
export async function chooseWalk(
  db: DbOrTx,
  st: SearchStats,
  f: RecordSearchFilter,
  cap: number,
  withFilters = true,
): Promise<{ walk: boolean; estimate: { n: number; sure: number } | undefined }> {
  const estimate = estimateMatches(st, f, withFilters);
  // Excluded terms (`就业 -培训`): the statistics of the other terms are only an upper bound, so a sure estimate is
  // sampled like a phrase's, the sample's check leaving out the records that hold an excluded term (matchText).
  const excl = excluding(f);
  const exact = !excl && groupsOf(f).length === 1 && f.terms.every((t) => termGrams(t).exact);
  const sure = surelyCommon(estimate, cap);
  // A phrase with a code missing from the statistics has no sure share, though its upper bound may say common: its
  // codes can sit just below the list's least frequency (按原规定执行 at 1,000,000 records: four codes listed at
  // 2.93 %, the fifth, as frequent, not; the capped count then verified 10,001 matches before the walk, 88 ms). Over
  // the whole table it is sampled too, and walked only when both the sample's scaling of that upper bound and the
  // matches' density among the newest records (matches ÷ records looked at, × the table) are above SURE_FACTOR ×
  // the cap: the upper bound of an unlisted code is loose (公积金贷款, 5,969 matches, was bounded at 29,312).
  // Only a single straggler: a phrase with two or more codes below the cut-off is most likely below it itself, and
  // the sample would only add to its capped count (公积金贷款: two of four codes listed; 36 → 47 ms with the sample).
  const straggler = f.terms.every((t) => termGrams(t).codes.filter((c) => !st.codeFreq.has(c)).length <= 1);
  const likely =
    !sure &&
    !exact &&
    straggler &&
    estimate !== undefined &&
    estimate.n > SURE_FACTOR * cap &&
    !f.agencyId &&
    !(withFilters && f.year);
  if (!estimate || exact || !(sure || likely)) return { walk: sure, estimate };
  const sig = matchSig(f);
  if (!sig) return { walk: true, estimate };
  // One sample a search: the page and the facets ask with the same terms and statistics.
  const key = sampleKey(f);
  let sample = st.phraseSamples.get(key);
  if (!sample) {
    // The newest SAMPLE_ENTRIES records (index-only), of them the first PRECISION_SAMPLE whose signature passes.
    // How many records there are to look among is counted only when the statistics do not show far more (counting
    // 5,000 index entries took ~0.9 ms of every phrase's search at 1,000,000 records; statistics that are stale
    // the other way only make `whole` false, so the capped path counts).
    const published = st.rows * valueShare(st, "status", "published");
    const entries =
      published > 4 * SAMPLE_ENTRIES
        ? sql`${SAMPLE_ENTRIES}::int`
        : sql`(SELECT count(*)::int FROM (SELECT 1 FROM records x WHERE x.status = 'published'
                                         LIMIT ${SAMPLE_ENTRIES}) x)`;
    const { rows } = await sql<{ e: number; n: number; m: number }>`
      SELECT ${entries} AS e,
             count(*)::int AS n, (count(*) FILTER (WHERE ${matchText(f)}))::int AS m
      FROM (${sigCandidatesAmongNewest(sig, SAMPLE_ENTRIES)} LIMIT ${PRECISION_SAMPLE}) c
      JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id`.execute(db);
    const row = rows[0] ?? { e: 0, n: 0, m: 0 };
    sample = {
      n: row.n,
      m: row.m,
      whole: row.e < SAMPLE_ENTRIES && row.n < PRECISION_SAMPLE,
      entries: row.e,
    };
    st.phraseSamples.set(key, sample);
  }
  const { n, m } = sample;
  if (sample.whole) return { walk: false, estimate: { n: m, sure: m } };
  if (m === 0) {
    // No record among the newest holds the query (none even holds its bits, or none of those that do matches): its
    // matches, if any, are further back (2013年, 〔2014〕; 2020年, whose bits the newest records hold by chance).
    // Within an agency or a year the capped path decides (bounded by that scope). Over the whole table the index's
    // own candidates are sampled (the table's order, not the date's), so that a phrase the sample shows to be
    // common goes to the year-by-year search at once instead of verifying cap + 1 matches first (2013年 at
    // 1,000,000 records: 93 ms for the capped count before the years).
    // Without a sure share there is no density to go by either: the capped path decides too.
    if (!sure || f.agencyId || (withFilters && f.year)) return { walk: false, estimate };
    const index = await indexSample(db, st, f);
    if (index.whole) return { walk: false, estimate: { n: index.m, sure: index.m } };
    const share = index.n > 0 ? index.m / index.n : 0;
    const scaled = { n: Math.round(estimate.n * share), sure: Math.round(estimate.sure * share) };
    // The index's candidates of a phrase hold all its pairs, so their share is a fair one; the margin of a sure
    // estimate still applies (a count near the cap is counted).
    return { walk: surelyCommon(scaled, cap), estimate: scaled };
  }
  // The scaled figure is an estimate, no longer a bound in either direction (the sample is the newest records):
  // walk when it is above the cap itself.
  const scaled = { n: Math.round((estimate.n * m) / n), sure: Math.round((estimate.sure * m) / n) };
  // With excluded terms the walk needs the margin of a sure estimate: the date walk's count is this estimate, and
  // an exclusion that removes most matches (社保 -社会) is counted instead (record-search.read.ts, exclusionWork).
  if (sure) return { walk: scaled.sure > (excl ? SURE_FACTOR * cap : cap), estimate: scaled };
  // No sure share: the sample's matches were all among the newest `entries` records (fewer when it filled up
  // first), a density over the table that must say common too.
  const density = m / Math.max(1, sample.entries ?? SAMPLE_ENTRIES);
  const published = st.rows * valueShare(st, "status", "published");
  return {
    walk: scaled.n > SURE_FACTOR * cap && published * density > SURE_FACTOR * cap,
    estimate: scaled,
  };
}

/**
 * PRECISION_SAMPLE index candidates of the query's codes over the whole table, verified: how many there were and
 * how many match (`whole`: every candidate of the table was seen, so `m` is the count). Kept with the search's
 * statistics, as the phrase sample is.
 *
 * First from one sampling bucket (SAMPLE_BUCKET: the records whose id hashes to it, a uniform random 1/64 of any
 * query's candidates; rules bucketCode): the GIN index builds the bitmap of all the candidates it is asked for before
 * the first is read, and one bucket's are ~1/64 of them (2020年 at 1,000,000 records: 67,181 candidates, ~28 ms for
 * the whole table's sample; ~3 ms for a bucket's). When the bucket holds fewer than a full sample, the whole table's
 * candidates are sampled, in the table's order: there are then fewer than ~64 × PRECISION_SAMPLE of them.
 */
export async function indexSample(
  db: DbOrTx,
  st: SearchStats,
  f: RecordSearchFilter,
  size = PRECISION_SAMPLE,
): Promise<PhraseSample> {
  const known = takenIndexSample(st, f);
  if (known) return known;
  const bucket = await candidateSample(db, f, [bucketCodeOf(SAMPLE_BUCKET)], size);
  const row = bucket.n >= size ? bucket : await candidateSample(db, f, [], size);
  const sample = {
    n: row.n,
    m: row.m,
    whole: row !== bucket && row.n < size,
    facets: row.facets,
  };
  st.phraseSamples.set(indexSampleKey(f), sample);
  return sample;
}

/** The sampling bucket whose records stand for all in an index sample (any one would do). */
export const SAMPLE_BUCKET = 0;

/** The first `size` index candidates of the filter's codes and `also`, verified, with their facets. */
async function candidateSample(
  db: DbOrTx,
  f: RecordSearchFilter,
  also: readonly number[],
  size: number,
): Promise<{ n: number; m: number; facets: FacetRow[] }> {
  const { rows } = await sql<{ n: number; m: number; facets: FacetRow[] }>`
    WITH c AS MATERIALIZED (
      SELECT r.agency_id, r.published_date, r.validity, r.genre, ${matchText(f)} AS ok FROM records r
      WHERE r.status = 'published' AND ${matchCodes(f, also)} LIMIT ${size}),
    m AS (SELECT agency_id, published_date, validity, genre FROM c WHERE ok)
    SELECT (SELECT count(*)::int FROM c) AS n, (SELECT count(*)::int FROM m) AS m, ${facetJson(sql`m`)} AS facets`.execute(
    db,
  );
  return rows[0] ?? { n: 0, m: 0, facets: [] };
}

function indexSampleKey(f: RecordSearchFilter): string {
  return `${sampleKey(f)}\u0002index`;
}

/** The index sample this search took (chooseWalk), if it took one. */
export function takenIndexSample(st: SearchStats, f: RecordSearchFilter): PhraseSample | undefined {
  return st.phraseSamples.get(indexSampleKey(f));
}

/**
 * The years an index sample shows to hold more than twice YEAR_PROBE of a search's `total` matches (its matches
 * in the year ÷ its matches, × the total): the year-by-year search walks them at once, without reading the
 * year's index candidates first (2020年 at 1,000,000 records: the year's 67,000 candidates took 32 ms to gather
 * for the 401 the probe looks at).
 */
export function denseYears(sample: PhraseSample | undefined, total: number, probe = YEAR_PROBE): number[] {
  if (!sample?.facets || sample.m <= 0) return [];
  return facetCounts(sample.facets)
    .years.filter((y) => (total * y.n) / sample.m > 2 * probe)
    .map((y) => y.year);
}
