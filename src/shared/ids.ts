/**
 * @module The one UUID check. Ids in URLs, forms and query strings are checked with `isUuid` before they reach
 * PostgreSQL, so a malformed id is a 404 (or is ignored) instead of a database error.
 */

/** The text of a UUID (any version; lower-case hex as Gongkai writes them), for composing larger patterns. */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const UUID_RE = new RegExp(`^${UUID_PATTERN}$`, "i");

/** Whether `s` is a UUID in its canonical 8-4-4-4-12 form (hex in either case, as PostgreSQL accepts it). */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** A JSON-schema `pattern` for a UUID path or body field (hex in either case; schema patterns have no flags). */
export const UUID_SCHEMA_PATTERN =
  "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
