/**
 * @module An agency's publishing settings: the 索引号 template and code, and the notification e-mail addresses
 * (validated, audited).
 */

import type { StaffActor } from "../accounts/policy.ts";
import { departmentExists } from "../agencies/agencies.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { type FieldError, validationError } from "../errors.ts";
import { DEFAULT_INDEX_TEMPLATE, validateIndexTemplate } from "./index-number.rules.ts";
import { findSettings, upsertSettings } from "./record.repository.ts";
import { assertCan, uid } from "./record.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

export interface PublishingSettings {
  indexTemplate: string;
  indexCode: string | null;
  indexCodeIsDemo: boolean;
  notifyEmails: Record<string, string[]>;
}

export async function getPublishingSettings(db: DbOrTx, agencyId: string): Promise<PublishingSettings> {
  const row = await findSettings(db, agencyId);
  return {
    indexTemplate: row?.index_template ?? DEFAULT_INDEX_TEMPLATE,
    indexCode: row?.index_code ?? null,
    indexCodeIsDemo: row?.index_code_is_demo ?? false,
    notifyEmails: row?.notify_emails ?? {},
  };
}

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** Sets the 索引号 template/code and notification recipients (agency.manage). */
export async function updatePublishingSettings(
  deps: Deps,
  actor: StaffActor | null,
  agencyId: string,
  input: PublishingSettings,
): Promise<void> {
  if (actor) assertCan(actor, "agency.manage", agencyId);
  const problems: FieldError[] = validateIndexTemplate(input.indexTemplate).map((m) => ({
    field: "indexTemplate",
    message: m,
  }));
  if (input.indexCode !== null && !/^[0-9A-Za-z-]{1,30}$/.test(input.indexCode))
    problems.push({ field: "indexCode", message: "机关代码只能包含字母、数字和连字符（30位以内）" });
  for (const [k, list] of Object.entries(input.notifyEmails)) {
    for (const e of list)
      if (!EMAIL.test(e)) problems.push({ field: "notifyEmails", message: `电子邮箱格式不正确：${e}` });
    if (k !== "*" && !(await departmentExists(deps.db, agencyId, k)))
      problems.push({ field: "notifyEmails", message: "股室不存在" });
  }
  if (problems.length > 0) throw validationError(problems);
  await deps.db.transaction().execute(async (trx) => {
    const before = await getPublishingSettings(trx, agencyId);
    await upsertSettings(trx, {
      agency_id: agencyId,
      index_template: input.indexTemplate,
      index_code: input.indexCode,
      index_code_is_demo: input.indexCodeIsDemo,
      notify_emails: JSON.stringify(input.notifyEmails),
    });
    await deps.audit.record(trx, {
      actorId: actor ? uid(actor) : null,
      actorName: actor?.user.displayName,
      ip: actor?.ip ?? null,
      action: "publishing.settings",
      agencyId,
      entityType: "publishing_settings",
      entityId: agencyId,
      summary: `修改发布设置（索引号格式 ${input.indexTemplate}）`,
      before,
      after: input,
    });
  });
}
