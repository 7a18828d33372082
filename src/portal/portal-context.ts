/**
 * @module Page context for cacheable public pages: the shared implementation lives in src/http/public-layout.ts
 * (the reports' public pages use it too).
 */
export { portalContext } from "../http/public-layout.ts";
