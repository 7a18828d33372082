/**
 * @module Publishing's public API besides its read modules (published.read.ts, inspection.read.ts,
 * compliance.read.ts): one published record as the public sees it (the portal's record page), and the staff duty
 * notices (到期提醒) other features deliver through publishing's notice list and mailer (applications, annual reports).
 */
export { createMailer, deliverNotices, type Mailer, type NoticeDraft } from "./notification.service.ts";
export { getPublishedRecord, type PublishedRecord } from "./record-query.service.ts";
