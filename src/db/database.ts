/**
 * @module The whole-schema type, composed from each feature's *.table.ts.
 */
import type { Kysely, Transaction } from "kysely";
import type {
  ApiTokenTable,
  LoginFailureTable,
  LoginThrottleTable,
  RoleGrantTable,
  SetupTokenTable,
  StaffSessionTable,
  StaffUserTable,
} from "../accounts/accounts.table.ts";
import type { AgencyTable, DepartmentTable, RegionTable } from "../agencies/agency.table.ts";
import type { AuditChainHeadTable, AuditEventTable } from "../audit/audit.table.ts";
import type {
  CalendarNoticeTable,
  CalendarOverrideTable,
  CalendarStateTable,
} from "../calendar/calendar.table.ts";
import type {
  CatalogElementTable,
  CatalogImportTable,
  CatalogItemTable,
  CatalogItemUnitTable,
  CatalogTable,
  CatalogVersionTable,
} from "../catalog/catalog.table.ts";
import type { CatalogMatchDecisionTable } from "../catalog/catalog-match.table.ts";
import type { StandardCatalogTable } from "../catalog/standard-catalog.table.ts";
import type { AgencyProfileTable } from "../guide/agency-profile.table.ts";
import type { RateLimitTable } from "../http/rate-limit.table.ts";
import type { JobRunTable } from "../jobs/jobs.table.ts";
import type { StaffNotificationTable } from "../messaging/staff-notification.table.ts";
import type { DisclosureRuleTable } from "../portal/disclosure-rules.table.ts";
import type { PageCacheScopeTable, PageCacheTable } from "../portal/page-store.table.ts";
import type { AgencySearchSynonymsTable } from "../portal/search-synonyms.table.ts";
import type {
  AgencyLeaderTable,
  ContentCheckRunTable,
  SensitiveWordTable,
} from "../publishing/content-checks.table.ts";
import type { ExternalLinkResultTable } from "../publishing/external-link.table.ts";
import type {
  DutyNoticeTable,
  IndexCounterTable,
  PublishingSettingsTable,
  RecordAttachmentTable,
  RecordBulkDroppedIndexTable,
  RecordChannelTable,
  RecordEventTable,
  RecordInterpretationTable,
  RecordObligationTable,
  RecordRereviewTable,
  RecordRevisionTable,
  RecordTable,
} from "../publishing/record.table.ts";
import type {
  AnnualReportRevisionTable,
  AnnualReportTable,
  RegionalAnnualReportTable,
} from "../reports/report.table.ts";
import type {
  AccessLogTable,
  ApplicantLinkTable,
  ApplicantMessageTable,
  ApplicantSessionTable,
  RequestFileTable,
} from "../requests/applicant-online.table.ts";
import type {
  InfoRequestCaseTable,
  InfoRequestConsultationTable,
  InfoRequestCorrectionTable,
  InfoRequestCounterTable,
  InfoRequestEventTable,
  InfoRequestNoticeTable,
  InfoRequestSettingsTable,
  InfoRequestTable,
  InfoRequestTemplateTable,
} from "../requests/info-request.table.ts";

export interface Database {
  regions: RegionTable;
  agencies: AgencyTable;
  standard_catalogs: StandardCatalogTable;
  catalog_match_decisions: CatalogMatchDecisionTable;
  external_link_results: ExternalLinkResultTable;
  departments: DepartmentTable;
  agency_profiles: AgencyProfileTable;
  agency_search_synonyms: AgencySearchSynonymsTable;
  disclosure_rules: DisclosureRuleTable;
  page_cache: PageCacheTable;
  page_cache_scopes: PageCacheScopeTable;
  staff_users: StaffUserTable;
  role_grants: RoleGrantTable;
  staff_sessions: StaffSessionTable;
  api_tokens: ApiTokenTable;
  login_failures: LoginFailureTable;
  login_throttle: LoginThrottleTable;
  setup_tokens: SetupTokenTable;
  audit_events: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  catalogs: CatalogTable;
  catalog_versions: CatalogVersionTable;
  catalog_items: CatalogItemTable;
  catalog_elements: CatalogElementTable;
  catalog_item_units: CatalogItemUnitTable;
  catalog_imports: CatalogImportTable;
  records: RecordTable;
  record_bulk_dropped_indexes: RecordBulkDroppedIndexTable;
  record_revisions: RecordRevisionTable;
  record_events: RecordEventTable;
  record_attachments: RecordAttachmentTable;
  index_counters: IndexCounterTable;
  record_interpretations: RecordInterpretationTable;
  record_channels: RecordChannelTable;
  record_obligations: RecordObligationTable;
  record_rereviews: RecordRereviewTable;
  publishing_settings: PublishingSettingsTable;
  duty_notices: DutyNoticeTable;
  sensitive_words: SensitiveWordTable;
  agency_leaders: AgencyLeaderTable;
  content_check_runs: ContentCheckRunTable;
  info_requests: InfoRequestTable;
  info_request_corrections: InfoRequestCorrectionTable;
  info_request_consultations: InfoRequestConsultationTable;
  info_request_events: InfoRequestEventTable;
  info_request_notices: InfoRequestNoticeTable;
  info_request_cases: InfoRequestCaseTable;
  info_request_templates: InfoRequestTemplateTable;
  info_request_settings: InfoRequestSettingsTable;
  info_request_counters: InfoRequestCounterTable;
  info_request_applicant_sessions: ApplicantSessionTable;
  info_request_applicant_links: ApplicantLinkTable;
  info_request_access_log: AccessLogTable;
  info_request_files: RequestFileTable;
  info_request_messages: ApplicantMessageTable;
  annual_reports: AnnualReportTable;
  annual_report_revisions: AnnualReportRevisionTable;
  regional_annual_reports: RegionalAnnualReportTable;
  calendar_notices: CalendarNoticeTable;
  calendar_overrides: CalendarOverrideTable;
  calendar_state: CalendarStateTable;
  job_runs: JobRunTable;
  rate_limits: RateLimitTable;
  staff_notifications: StaffNotificationTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the pool or an open transaction: repository functions take this first. */
export type DbOrTx = Kysely<Database>;
