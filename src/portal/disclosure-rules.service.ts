/**
 * @module 公开制度: the agency's own rules for its disclosure work, kept by its 政务公开办 (`agency.manage`) and shown
 * on the portal (the 公开制度 column the home page promises). Changes are audited and refresh the agency's pages.
 */
import { can, type StaffUser } from "../accounts/policy.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import { deleteRule, insertRule, listRules } from "./disclosure-rules.repository.ts";
import type { DisclosureRuleRow } from "./disclosure-rules.table.ts";

export interface RuleActor {
  user: StaffUser;
  ip?: string | null | undefined;
}

export async function disclosureRules(db: DbOrTx, agencyId: string): Promise<DisclosureRuleRow[]> {
  return listRules(db, agencyId);
}

function assertManage(actor: RuleActor, agencyId: string): void {
  if (!can(actor.user, "agency.manage", { agencyId })) throw new AppError("forbidden");
}

export async function addDisclosureRule(
  deps: Deps,
  actor: RuleActor,
  agencyId: string,
  input: { title: string; docNumber: string; issuedOn: string; body: string },
): Promise<void> {
  assertManage(actor, agencyId);
  const title = input.title.trim();
  const body = input.body.replace(/\r\n/g, "\n").trim();
  const errors: FieldError[] = [];
  if (title === "" || title.length > 200)
    errors.push({ field: "title", message: "请填写制度名称（200字以内）" });
  if (input.docNumber.trim().length > 100)
    errors.push({ field: "docNumber", message: "文号不能超过100个字" });
  if (input.issuedOn !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(input.issuedOn))
    errors.push({ field: "issuedOn", message: "请按“年-月-日”填写印发日期" });
  if (body === "" || body.length > 50000)
    errors.push({ field: "body", message: "请填写制度全文（5万字以内）" });
  if (errors.length > 0) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    const row = await insertRule(trx, {
      agency_id: agencyId,
      title,
      doc_number: input.docNumber.trim(),
      issued_on: input.issuedOn || null,
      body,
    });
    await deps.audit.record(trx, {
      actorId: actor.user.id || null,
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "disclosure_rule.add",
      agencyId,
      entityType: "disclosure_rule",
      entityId: row.id,
      summary: `发布公开制度《${title}》`,
    });
  });
  deps.events.emit("guide.updated", { agencyId });
}

export async function removeDisclosureRule(
  deps: Deps,
  actor: RuleActor,
  agencyId: string,
  id: string,
): Promise<void> {
  assertManage(actor, agencyId);
  await deps.db.transaction().execute(async (trx) => {
    const row = isUuid(id) ? await deleteRule(trx, agencyId, id) : undefined;
    if (!row) throw new AppError("disclosure_rule_not_found");
    await deps.audit.record(trx, {
      actorId: actor.user.id || null,
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "disclosure_rule.remove",
      agencyId,
      entityType: "disclosure_rule",
      entityId: row.id,
      summary: `删除公开制度《${row.title}》`,
    });
  });
  deps.events.emit("guide.updated", { agencyId });
}
