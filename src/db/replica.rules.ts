/**
 * @module Pure rules of reading from a PostgreSQL streaming replica (src/db/read-pool.ts): WAL positions (LSNs) and
 * which errors mean "the replica cannot serve this read now" (the read is then done on the primary) as opposed to
 * errors of the read itself (which the primary would raise too, or which are bugs, such as a write sent to the
 * read-only standby).
 */

/** A WAL position as PostgreSQL prints it (`16/B374D848`: two hexadecimal 32-bit halves) → a number to compare. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) throw new Error(`not a WAL position (pg_lsn): "${text}"`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** The inverse of parseLsn (upper-case hexadecimal, as PostgreSQL prints it). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Bytes of WAL between the primary's position and what the standby replayed (0 when it has replayed it all). */
export function lagBytes(primary: bigint, replayed: bigint): number {
  return primary > replayed ? Number(primary - replayed) : 0;
}

const CONNECTION_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * Does this error mean the replica cannot serve reads now, so that the same read should be done on the primary?
 * Yes: connection failures (SQLSTATE class 08, socket errors, pg's connect timeout and "Connection terminated"),
 * a server shutting down or starting (57P01–57P03), the database missing or dropped there (3D000, 57P04), refused
 * credentials (class 28: a misconfigured DATABASE_READ_URL), and a query cancelled by a recovery conflict (40001 on
 * a standby: WAL replay needed the rows it was reading). No: everything else, in particular 25006
 * (read_only_sql_transaction: a write routed to the read pool is a bug and must fail loudly) and 57014
 * (statement_timeout: the query itself is too slow, the primary would time out too).
 */
export function replicaUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (/^08[0-9A-Z]{3}$/.test(code) || /^28[0-9A-Z]{3}$/.test(code) || /^57P0[1-4]$/.test(code)) return true;
    if (code === "3D000" || code === "40001" || CONNECTION_ERRNO.has(code)) return true;
    return false;
  }
  return /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i.test(
    error.message,
  );
}
