/**
 * @module Per-route rate limits (@fastify/rate-limit is registered with `global: false`). Every public route that
 * accepts a form or upload MUST opt in (the security matrix test checks it):
 *
 *   app.post("/x/apply", { config: { policy: "public", rateLimit: PUBLIC_FORM_RATE_LIMIT } }, handler)
 *
 * Limits are per client address and route, shared by every app process on the database (counters in PostgreSQL,
 * src/http/rate-limit-store.ts).
 */

/** Sign-in and first-run set-up. The per-account lockout (config.loginMaxFailures) is separate. */
export const LOGIN_RATE_LIMIT = { max: 10, timeWindow: "1 minute" } as const;

/** Public forms: applications, feedback, searches that write. */
export const PUBLIC_FORM_RATE_LIMIT = { max: 20, timeWindow: "1 minute" } as const;
