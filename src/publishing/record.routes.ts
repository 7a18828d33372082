/**
 * @module Staff pages of an agency's records (/admin/agencies/:agency/records…: list, form, record page, workflow
 * steps; the attachments' routes are in record-attachment.routes.ts, registered from here). Thin handlers on
 * `staffRoute`: the agency comes from the path, the record from `recordResource` (another agency's record → 404),
 * the policy is checked once there; the service checks each workflow step's action against the record's state. The
 * desk pages (duties, re-review, settings, notices) are in publishing-desk.routes.ts, the old URLs' redirects in
 * record-legacy.routes.ts.
 */
import type { FastifyInstance } from "fastify";
import { type Action, can, type StaffUser } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { type FieldError, validationError } from "../errors.ts";
import { pageContext } from "../http/context.ts";
import { bodyString, bodyStrings } from "../http/forms.ts";
import { type FormFailure, type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { isUuid } from "../shared/ids.ts";
import { normaliseNumberInput } from "../shared/number-input.ts";
import { openRevisionChecks } from "./content-checks.service.ts";
import {
  interpretationPickerRoutes,
  pickerSearchRequested,
  renderPicker,
} from "./interpretation-picker.routes.ts";
import { adminRecordPath } from "./record.paths.ts";
import { parseKeywords } from "./record.rules.ts";
import { type ContentInput, emptyContent } from "./record.service.ts";
import type { RecordContent, RevisionStatus } from "./record.table.ts";
import { formPage, listPage } from "./record.views.ts";
import { recordAttachmentRoutes } from "./record-attachment.routes.ts";
import { logChannel } from "./record-attachment.service.ts";
import { detailPage, type Permissions } from "./record-detail.views.ts";
import { createRecord, draftStamp, reviseRecord, updateDraft } from "./record-draft.service.ts";
import {
  agencyInfo,
  catalogItemsForForm,
  departmentsOf,
  documentOptions,
  getRecordForStaff,
  listRecordsForStaff,
  recordResource,
  staffNames,
} from "./record-query.service.ts";
import { cancelSchedule, schedulePublication, scheduleWithdrawal } from "./record-schedule.service.ts";
import { advanceRecord, returnRecord, withdrawRecord } from "./record-workflow.service.ts";

const MESSAGES: Record<string, string> = {
  created: "已保存草稿。",
  saved: "已保存。",
  submit: "已提交审核。",
  review: "审核通过，已送审签。",
  approve: "审签通过，待发布。",
  publish: "已发布。",
  return: "已退回起草人修改。",
  recall: "已收回，可以修改后重新提交审核。",
  withdraw: "已撤回，信息已从门户下线。",
  "schedule-publish": "已设定定时发布，到时自动发布。",
  "cancel-schedule-publish": "已取消定时发布。",
  "schedule-withdraw": "已设定定时下线，到时自动从门户撤下。",
  "cancel-schedule-withdraw": "已取消定时下线。",
  revise: "已新建修订版本，修改并走完审核流程后替换门户上的版本。",
  attach: "附件已上传。",
  detach: "附件已删除。",
  mask: "已脱敏，审签发布后门户显示脱敏后的内容。",
  channel: "已登记。",
  attest: "已签署本期无新增信息。",
};

function permissions(user: StaffUser, agencyId: string, departmentId: string | null): Permissions {
  const r = { agencyId, departmentId };
  return {
    draft: can(user, "record.draft", r),
    review: can(user, "record.review", r),
    approve: can(user, "record.approve", r),
    publish: can(user, "record.publish", r),
    withdraw: can(user, "record.withdraw", r),
    returnBack:
      can(user, "record.review", r) || can(user, "record.approve", r) || can(user, "record.publish", r),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses the record form into content input; format problems become field errors. */
export function parseContentForm(body: unknown): {
  input: ContentInput;
  errors: FieldError[];
  keywordsText: string;
} {
  const errors: FieldError[] = [];
  const s = (name: string, max = 300) => bodyString(body, name, max);
  const optDate = (name: string, label: string): string | null => {
    const v = s(name, 20);
    if (v === "") return null;
    if (!DATE.test(v)) errors.push({ field: name, message: `请按“年-月-日”填写${label}` });
    return v;
  };
  const optId = (name: string): string | null => {
    const v = s(name, 40);
    if (v === "") return null;
    if (isUuid(v)) return v;
    errors.push({ field: name, message: "选择无效" });
    return null;
  };
  // Full-width digits and separators (a Chinese input method) read as ASCII; these figures feed the annual report.
  const decisionRaw = normaliseNumberInput(s("decisionCount", 20));
  const decisionCount = decisionRaw === "" ? 0 : Number(decisionRaw);
  if (!/^\d{0,6}$/.test(decisionRaw)) errors.push({ field: "decisionCount", message: "决定数量应为整数" });
  const feeRaw = normaliseNumberInput(s("feeAmountWan", 30));
  const feeAmountWan = feeRaw === "" ? null : Number(feeRaw);
  if (feeRaw !== "" && !/^\d+(\.\d{1,4})?$/.test(feeRaw))
    errors.push({ field: "feeAmountWan", message: "收费金额应为数字（万元，最多4位小数）" });
  const keywordsText = s("keywords", 400);
  const kind = s("kind", 20);
  const disclosure = s("disclosure", 10);
  const validity = s("validity", 4);
  const docCategory = s("docCategory", 30);
  const input: ContentInput = {
    kind: kind === "interpretation" ? "interpretation" : "document",
    title: s("title", 400),
    summary: s("summary", 1000),
    issuingAgency: s("issuingAgency", 200),
    docNumber: s("docNumber", 200),
    formedDate: s("formedDate", 20),
    changedDate: optDate("changedDate", "变更日期"),
    topic: s("topic", 100),
    genre: s("genre", 100),
    keywords: parseKeywords(keywordsText),
    validity: validity === "" ? null : (validity as RecordContent["validity"]),
    effectiveDate: optDate("effectiveDate", "生效日期"),
    repealDate: optDate("repealDate", "废止（失效）日期"),
    replacedByRecordId: optId("replacedByRecordId"),
    replacedByText: s("replacedByText", 400),
    disclosure: (disclosure || "主动公开") as RecordContent["disclosure"],
    nonDisclosureReason: s("nonDisclosureReason", 2000),
    itemId: optId("itemId"),
    elementId: optId("elementId"),
    departmentId: optId("departmentId"),
    docCategory: docCategory === "" ? null : (docCategory as RecordContent["docCategory"]),
    decisionCount: Number.isFinite(decisionCount) ? decisionCount : 0,
    feeAmountWan: feeAmountWan !== null && Number.isFinite(feeAmountWan) ? feeAmountWan : null,
    bodyHtml: bodyString(body, "bodyHtml", 500_000, true),
    interpretsRecordIds: bodyStrings(body, "interpretsRecordIds", 50).filter((id) => isUuid(id)),
  };
  if (input.formedDate !== "" && !DATE.test(input.formedDate ?? ""))
    errors.push({ field: "formedDate", message: "请按“年-月-日”填写成文（生成）日期" });
  return { input, errors, keywordsText };
}

/** The agency a record page shows (slug and name for links and headings). */
type AgencyRef = { id: string; slug: string; name: string };
type Ctx = StaffContext<unknown, unknown>;
/** The form shown again without a failure (a 查找 of the 政策解读 picker). */
const NO_FAILURE: FormFailure = { status: 200, code: "validation_failed", errors: [], message: "" };

export async function recordRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/records",
    entry: "/admin/records",
    label: "信息发布",
    action: "record.read",
    order: 200,
    description: "起草、审核、审签、发布政府信息，管理附件、修订和撤回；查看定期更新任务和到期提醒。",
  });
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/compliance",
    entry: "/admin/compliance",
    label: "考核统计",
    action: "compliance.read",
    order: 210,
    description: "按时公开率、逾期和即将到期事项、空白栏目、长期未更新栏目和失效链接。",
  });

  const inAgency = (c: StaffContext) => recordResource(deps.db, c.agency.id, c.params.id ?? "");
  /** Writes load the record with its department: a department-scoped editor drafts only their own. */
  const inDepartment = (c: StaffContext) => recordResource(deps.db, c.agency.id, c.params.id ?? "", true);
  const done = (c: Ctx, what: string) => `${adminRecordPath(c.params.id ?? "", c.agency.slug)}?done=${what}`;

  // ----- list ------------------------------------------------------------------------------------------------
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records",
    policy: "record.read",
    handle: async (c) => {
      const str = (k: string) => (typeof c.query[k] === "string" ? (c.query[k] as string).slice(0, 100) : "");
      const status = str("status");
      const workflow = str("workflow");
      const department = isUuid(str("department")) ? str("department") : "";
      const page = Math.max(1, Number.parseInt(str("page"), 10) || 1);
      const list = await listRecordsForStaff(deps.db, {
        agencyId: c.agency.id,
        status: ["draft", "published", "withdrawn"].includes(status) ? (status as "draft") : undefined,
        workflowStatus: ["draft", "submitted", "reviewed", "approved"].includes(workflow)
          ? (workflow as RevisionStatus)
          : undefined,
        departmentId: department || undefined,
        query: str("q") || undefined,
        page,
        pageSize: 30,
      });
      return listPage(pageContext(c.request), {
        agency: c.agency,
        agencies: await c.agencies(),
        ...list,
        filters: { status, workflow, q: str("q"), department },
        departments: await departmentsOf(deps.db, c.agency.id),
        canDraft: can(c.user, "record.draft", { agencyId: c.agency.id }),
        message: MESSAGES[str("done")],
      });
    },
  });

  // ----- form --------------------------------------------------------------------------------------------------
  async function renderForm(
    c: Ctx,
    m: {
      mode: "new" | "edit";
      recordId?: string;
      stamp?: string;
      values: RecordContent;
      errors: FieldError[];
      changeNote?: string;
      keywordsText?: string;
      message?: string;
      /** The submitted form (the picker's query) and whether it asked for a 查找. */
      body?: unknown;
      search?: boolean;
    },
  ): Promise<SafeHtml> {
    const agency: AgencyRef = c.agency;
    const [items, departments, documents, picker] = await Promise.all([
      catalogItemsForForm(deps.db, agency.id),
      departmentsOf(deps.db, agency.id),
      documentOptions(deps.db, agency.id),
      renderPicker(deps, agency, {
        recordId: m.recordId,
        chosenIds: m.values.interpretsRecordIds,
        body: m.body,
        search: m.search ?? false,
        error: m.errors.find((e) => e.field === "interpretsRecordIds")?.message,
      }),
    ]);
    return formPage(pageContext(c.request), {
      agency,
      mode: m.mode,
      recordId: m.recordId,
      stamp: m.stamp,
      values: m.values,
      changeNote: m.changeNote ?? "",
      errors: m.errors,
      items,
      departments,
      documents,
      picker,
      ...(m.keywordsText !== undefined ? { keywordsText: m.keywordsText } : {}),
      ...(m.message !== undefined ? { message: m.message } : {}),
    });
  }

  /** The form's input; its format problems are field errors (the form is shown again with them). */
  const contentInput = (body: unknown): ContentInput => {
    const { input, errors } = parseContentForm(body);
    if (errors.length > 0) throw validationError(errors);
    return input;
  };

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/new",
    policy: "record.draft",
    handle: async (c) =>
      renderForm(c, {
        mode: "new",
        values: emptyContent((await agencyInfo(deps.db, c.agency.id)).name, deps.clock.today()),
        errors: [],
      }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records",
    policy: "record.draft",
    // A 查找 of the 政策解读 picker (no JavaScript) shows the form again with the matches; nothing is saved.
    input: (body) => (pickerSearchRequested(body) ? null : contentInput(body)),
    handle: (c) =>
      c.input === null
        ? newFormAgain(c, NO_FAILURE, true)
        : createRecord(deps, c.actor, c.agency.id, c.input),
    redirect: (c, result) => `${adminRecordPath((result as { id: string }).id, c.agency.slug)}?done=created`,
    form: (c, failure) => newFormAgain(c, failure),
  });
  async function newFormAgain(c: Ctx, failure: FormFailure, search = false): Promise<SafeHtml> {
    const { input, keywordsText } = parseContentForm(c.body);
    const info = await agencyInfo(deps.db, c.agency.id);
    const values = { ...emptyContent(info.name, deps.clock.today()), ...input } as RecordContent;
    return renderForm(c, {
      mode: "new",
      values,
      errors: failure.errors,
      keywordsText,
      message: failure.message || undefined,
      body: c.body,
      search,
    });
  }

  // ----- record page ---------------------------------------------------------------------------------------------
  async function renderDetail(
    c: Ctx,
    extra: {
      errors?: FieldError[];
      error?: string | undefined;
      message?: string | undefined;
      values?: Record<string, string>;
    } = {},
  ): Promise<SafeHtml> {
    const agency: AgencyRef = c.agency;
    const detail = await getRecordForStaff(deps, agency.id, c.params.id ?? "");
    const rev = detail.revision;
    const { findings, checks } = await openRevisionChecks(deps.db, agency.id, rev);
    const users = await staffNames(deps.db, [
      rev.returned_by,
      rev.reviewed_by,
      rev.approved_by,
      rev.published_by,
    ]);
    return detailPage(pageContext(c.request), {
      agency,
      detail,
      can: permissions(c.user, agency.id, detail.record.department_id),
      findings,
      checks,
      departments: await departmentsOf(deps.db, agency.id),
      errors: extra.errors ?? [],
      error: extra.error,
      message: extra.message,
      values: extra.values ?? {},
      users,
    });
  }
  /** A refused step or upload shows the record page again with the reason. */
  const detailWithError = (c: Ctx, failure: { errors: FieldError[]; message: string }) =>
    renderDetail(c, { errors: failure.errors, error: failure.message });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/:id",
    policy: "record.read",
    load: inAgency,
    handle: (c) =>
      renderDetail(c, {
        message: typeof c.query.done === "string" ? MESSAGES[c.query.done] : undefined,
      }),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/:id/edit",
    policy: "record.draft",
    load: inDepartment,
    handle: async (c) => {
      const id = c.params.id as string;
      const detail = await getRecordForStaff(deps, c.agency.id, id);
      if (detail.revision.status !== "draft") return { redirect: adminRecordPath(id, c.agency.slug) };
      return renderForm(c, {
        mode: "edit",
        recordId: id,
        stamp: draftStamp(detail.revision.content),
        values: detail.revision.content,
        errors: [],
        changeNote: detail.revision.change_note,
      });
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/:id",
    policy: "record.draft",
    load: inDepartment,
    input: async (body, c) => {
      if (pickerSearchRequested(body)) return null;
      const input = contentInput(body);
      const changeNote = bodyString(body, "changeNote", 1000);
      const detail = await getRecordForStaff(deps, c.agency.id, c.params.id as string);
      if (detail.record.current_revision_no !== null && changeNote === "")
        throw validationError([{ field: "changeNote", message: "修订已发布的信息，请说明修改内容" }]);
      return { input, changeNote, stamp: bodyString(body, "stamp", 64) };
    },
    handle: (c) =>
      c.input === null
        ? editFormAgain(c, NO_FAILURE, true)
        : updateDraft(deps, c.actor, c.agency.id, c.params.id as string, c.input.input, {
            changeNote: c.input.changeNote,
            ...(c.input.stamp ? { stamp: c.input.stamp } : {}),
          }),
    redirect: (c) => done(c, "saved"),
    form: (c, failure) => editFormAgain(c, failure),
    // Someone else saved, submitted or sent back the draft meanwhile: the form comes back with what was typed.
    formErrors: ["record_conflict", "record_invalid_transition"],
  });
  async function editFormAgain(c: Ctx, failure: FormFailure, search = false): Promise<SafeHtml> {
    const id = c.params.id as string;
    const { input, keywordsText } = parseContentForm(c.body);
    const detail = await getRecordForStaff(deps, c.agency.id, id);
    return renderForm(c, {
      mode: "edit",
      recordId: id,
      stamp: draftStamp(detail.revision.content),
      values: { ...detail.revision.content, ...input } as RecordContent,
      changeNote: bodyString(c.body, "changeNote", 1000),
      keywordsText,
      errors: failure.errors,
      message: failure.message || undefined,
      body: c.body,
      search,
    });
  }

  // ----- workflow ------------------------------------------------------------------------------------------------
  // The route checks the step's action once (staffRoute); the service checks it against the record's state.
  const STEP_POLICY: Record<"submit" | "review" | "approve" | "publish", Action> = {
    submit: "record.draft",
    review: "record.review",
    approve: "record.approve",
    publish: "record.publish",
  };
  /** Every refusal of a step (checklist, personal data, state, permission) shows the record page with the reason. */
  const stepRefused = (code: string) => code !== "record_not_found";
  for (const step of ["submit", "review", "approve", "publish"] as const) {
    staffRoute(app, deps, {
      method: "POST",
      url: `/admin/agencies/:agency/records/:id/${step}`,
      policy: STEP_POLICY[step],
      load: inDepartment,
      handle: async (c) => {
        const body = c.body;
        const checklist = {
          noStateSecret: bodyString(body, "noStateSecret") === "1",
          noWorkSecret: bodyString(body, "noWorkSecret") === "1",
          noPersonalPrivacy: bodyString(body, "noPersonalPrivacy") === "1",
          noTradeSecret: bodyString(body, "noTradeSecret") === "1",
          noThreeSecurityRisk: bodyString(body, "noThreeSecurityRisk") === "1",
          consistentWithPolicy: bodyString(body, "consistentWithPolicy") === "1",
          note: bodyString(body, "note", 1000),
        };
        const piiOverrideReason = bodyString(body, "piiOverrideReason", 1000);
        const stamp = bodyString(body, "stamp", 64);
        await advanceRecord(deps, c.actor, c.agency.id, c.params.id as string, step, {
          ...(stamp ? { stamp } : {}),
          ...(step === "review" ? { checklist } : {}),
          ...(piiOverrideReason ? { piiOverrideReason } : {}),
          ...(checklist.note ? { comment: checklist.note } : {}),
        });
      },
      redirect: (c) => done(c, step),
      form: detailWithError,
      formErrors: stepRefused,
    });
  }

  // 定时发布 / 定时下线 (record-schedule.service.ts): a refused form shows the page again with the values kept.
  const scheduleForms = [
    ["schedule-publish", "record.publish", ["publishAt", "piiOverrideReason"]],
    ["cancel-schedule-publish", "record.publish", []],
    ["schedule-withdraw", "record.withdraw", ["withdrawAt", "withdrawReason"]],
    ["cancel-schedule-withdraw", "record.withdraw", []],
  ] as const;
  for (const [name, policy, fields] of scheduleForms) {
    const values = (c: Ctx) => Object.fromEntries(fields.map((f) => [f, bodyString(c.body, f, 1000)]));
    staffRoute(app, deps, {
      method: "POST",
      url: `/admin/agencies/:agency/records/:id/${name}`,
      policy,
      load: inAgency,
      handle: (c) => {
        const v = values(c);
        const id = c.params.id as string;
        if (name === "schedule-publish")
          return schedulePublication(
            deps,
            c.actor,
            c.agency.id,
            id,
            v.publishAt ?? "",
            v.piiOverrideReason ?? "",
          );
        if (name === "schedule-withdraw")
          return scheduleWithdrawal(
            deps,
            c.actor,
            c.agency.id,
            id,
            v.withdrawAt ?? "",
            v.withdrawReason ?? "",
          );
        return cancelSchedule(
          deps,
          c.actor,
          c.agency.id,
          id,
          name === "cancel-schedule-publish" ? "publish" : "withdraw",
        );
      },
      redirect: (c) => done(c, name),
      form: (c, failure) =>
        renderDetail(c, { errors: failure.errors, error: failure.message, values: values(c) }),
      formErrors: ["record_invalid_transition", "record_not_proactive"],
    });
  }

  // Sending back is done by the reviewer, the approver or the publisher (the service checks which, by status).
  for (const [name, policy, fn] of [
    ["return", "record.return", returnRecord],
    ["withdraw", "record.withdraw", withdrawRecord],
  ] as const) {
    staffRoute(app, deps, {
      method: "POST",
      url: `/admin/agencies/:agency/records/:id/${name}`,
      policy,
      load: inAgency,
      handle: (c) =>
        fn(deps, c.actor, c.agency.id, c.params.id as string, bodyString(c.body, "reason", 1000)),
      redirect: (c) => done(c, name),
      form: detailWithError,
      formErrors: ["record_invalid_transition"],
    });
  }

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/:id/revise",
    policy: "record.draft",
    load: inDepartment,
    handle: (c) => reviseRecord(deps, c.actor, c.agency.id, c.params.id as string),
    redirect: (c) => done(c, "revise"),
    form: (c, failure) => renderDetail(c, { error: failure.message }),
    formErrors: ["record_revision_open", "record_invalid_transition"],
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/:id/channels",
    policy: "record.draft",
    load: inDepartment,
    handle: (c) =>
      logChannel(deps, c.actor, c.agency.id, c.params.id as string, {
        channel: bodyString(c.body, "channel", 100),
        publishedOn: bodyString(c.body, "publishedOn", 20),
        evidence: bodyString(c.body, "evidence", 2000),
      }),
    redirect: (c) => done(c, "channel"),
    form: detailWithError,
    formErrors: ["record_invalid_transition"],
  });

  await recordAttachmentRoutes(app, deps, { renderDetail, inAgency, inDepartment, done });
  interpretationPickerRoutes(app, deps);
}
