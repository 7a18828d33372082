/**
 * @module Publishing's compliance view (公开时限 and obligations of an agency) for the supervision feature's
 * dashboards and inspection reports.
 */
export { complianceReport, type TrendPoint } from "./compliance.service.ts";
