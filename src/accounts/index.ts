/**
 * @module The accounts feature's public API besides the policy module (policy.ts): staff accounts with their role
 * grants (e.g. the applications feature's list of handlers to assign).
 */
export { type Account, listAccounts } from "./accounts.service.ts";
