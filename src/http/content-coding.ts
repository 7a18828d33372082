/**
 * @module Content-coding negotiation for stored pages (RFC 9110 §12.5.3): which of a page's stored encodings
 * (brotli, gzip) answers a request's Accept-Encoding. Used by the page cache's pipeline and its hit path.
 */
/**
 * The client's Accept-Encoding as coding → qvalue (RFC 9110 §12.5.3, §12.4.2): names lower-cased, `x-gzip` as
 * `gzip` (§8.4.1.3); a member whose weight is not a valid qvalue is left out (as if not listed); a coding listed
 * twice keeps its first weight.
 */
export function acceptedEncodings(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const member of header.split(",")) {
    const [rawName = "", ...params] = member.split(";");
    let name = rawName.trim().toLowerCase();
    if (!name) continue;
    if (name === "x-gzip") name = "gzip";
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [key = "", value = ""] = param.split("=").map((x) => x.trim());
      if (key.toLowerCase() !== "q") continue;
      if (/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) q = Number(value);
      else valid = false;
    }
    if (valid && !weights.has(name)) weights.set(name, q);
  }
  return weights;
}

/**
 * The stored encoding to send for the client's Accept-Encoding (RFC 9110 §12.5.3), or undefined for the body as it
 * is (identity):
 *  - a coding is acceptable when listed with q > 0, or not listed while `*` is (its q); `br;q=0`, `gzip;q=0` and
 *    `*;q=0` refuse; without `*` an unlisted coding is not acceptable;
 *  - the acceptable stored coding with the highest q wins, br before gzip at equal q (smaller);
 *  - identity is acceptable unless `identity;q=0`, or `*;q=0` without identity listed. Listed (or given by `*`)
 *    with a higher q than every acceptable coding, it wins (`identity, gzip;q=0.5`); not listed, it is sent only
 *    when no stored coding is acceptable;
 *  - no header: no preference, the body as it is (as before); nothing acceptable at all (`identity;q=0` alone,
 *    `*;q=0`): the body as it is too, which §12.5.3 allows ("…or disregard the header field") rather than a 406.
 */
export function chooseEncoding(
  header: string | string[] | undefined,
  entry: { br?: Buffer | undefined; gzip?: Buffer | undefined },
): "br" | "gzip" | undefined {
  if (header === undefined || (!entry.br && !entry.gzip)) return undefined;
  const weights = acceptedEncodings(Array.isArray(header) ? header.join(",") : header);
  const star = weights.get("*");
  const weight = (coding: string) => weights.get(coding) ?? star ?? 0;
  let best: "br" | "gzip" | undefined;
  let bestQ = 0;
  for (const coding of ["br", "gzip"] as const) {
    const q = entry[coding] ? weight(coding) : 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  if (best === undefined) return undefined;
  const identity = weights.get("identity") ?? star;
  return identity !== undefined && identity > bestQ ? undefined : best;
}
