/**
 * @module The audit chain's key for this process. `recordAudit(trx, …)` is called from every feature with only a
 * transaction, so the key is set once when the process wires its dependencies (`createDeps` calls
 * `configureAuditKey(config)`; the server and the CLI always have a secret by then, see `ensureSecret`).
 * A process that never configured a key (e.g. a bare database test) writes unkeyed 'sha256' rows, which
 * verification flags as unkeyed and refuses after the first keyed row.
 */
import type { Config } from "../config.ts";
import { auditKeyFrom } from "./audit.rules.ts";

let processKey: Buffer | undefined;

export function configureAuditKey(config: Pick<Config, "auditKey" | "secret">): void {
  processKey = auditKeyFrom(config);
}

/** The key new rows are chained with (undefined: not configured in this process). */
export function currentAuditKey(): Buffer | undefined {
  return processKey;
}
