import type { ColumnType, Generated, Selectable } from "kysely";

/** A notification to one staff member (in the console, and by e-mail unless turned off). */
export interface StaffNotificationTable {
  id: Generated<string>;
  user_id: string;
  /** record_review | record_approve | record_publish | record_returned | request_assigned | deadline_due_soon | deadline_overdue … */
  kind: string;
  subject: string;
  body: Generated<string>;
  /** Site-relative URL of the work. */
  link: string;
  /** One notification per person and key (a job running twice, an event relayed twice). */
  dedupe_key: string;
  created_at: ColumnType<Date, never, never>;
  read_at: Date | null;
  emailed_at: Date | null;
}

export type StaffNotificationRow = Selectable<StaffNotificationTable>;
