/**
 * @module The one error type. Every error a client can see has a stable snake_case code, an HTTP status and a
 * Chinese message. Codes are part of the public API contract: never rename one. All codes are listed in
 * ERROR_CODES and documented in docs/errors.md (errors.test.ts keeps the two in sync).
 */

export const ERROR_CODES = {
  // General
  bad_request: { status: 400, message: "请求格式不正确。" },
  validation_failed: { status: 400, message: "提交的内容未通过校验，请按提示修改。" },
  not_found: { status: 404, message: "您访问的页面或资源不存在。" },
  method_not_allowed: { status: 405, message: "不支持该请求方法。" },
  payload_too_large: { status: 413, message: "提交的内容过大。" },
  unsupported_media_type: { status: 415, message: "不支持该内容类型。" },
  rate_limited: { status: 429, message: "请求过于频繁，请稍后再试。" },
  unauthenticated: { status: 401, message: "请先登录。" },
  forbidden: { status: 403, message: "您没有执行此操作的权限。" },
  csrf_invalid: { status: 403, message: "页面已过期或请求来源不可信，请刷新页面后重试。" },
  internal_error: { status: 500, message: "系统内部错误，请稍后再试。" },
  service_unavailable: { status: 503, message: "服务暂不可用，请稍后再试。" },
  database_unavailable: { status: 503, message: "数据库暂时不可用，请稍后再试。" },
  search_busy: { status: 503, message: "检索请求较多，请稍后再试。" },
  search_timeout: {
    status: 503,
    message: "检索用时过长已停止，请加上年度、机关等筛选条件或换用更具体的关键词后重试。",
  },
  invalid_input: { status: 400, message: "请求中含有无效字符（如空字符或不合法的 UTF-8 编码）。" },
  // Platform: agencies and regions
  agency_not_found: { status: 404, message: "未找到该机关。" },
  region_not_found: { status: 404, message: "未找到该行政区划。" },
  department_not_found: { status: 404, message: "未找到该内设机构。" },
  duplicate_slug: { status: 409, message: "该标识已被使用。" },
  invalid_credit_code: { status: 400, message: "统一社会信用代码格式不正确。" },
  // The 政府信息公开指南's data
  guide_conflict: {
    status: 409,
    message:
      "您打开编辑页面后，其他工作人员已修改并保存了公开指南，本次修改尚未保存。您填写的内容保留在下方；请先另开窗口查看对方的修改，核对后再保存（再次保存将覆盖对方的修改）。",
  },
  // Catalogs (主动公开事项目录)
  catalog_not_found: { status: 404, message: "该机关尚未发布主动公开事项目录。" },
  catalog_version_not_found: { status: 404, message: "未找到该目录版本。" },
  catalog_item_not_found: { status: 404, message: "未找到该目录事项。" },
  catalog_changed_since_opened: {
    status: 409,
    message: "您打开审签发布页面后，该目录草稿又被修改，本次未发布。下方是更新后的变化，请核对后再发布。",
  },
  catalog_item_conflict: {
    status: 409,
    message:
      "您打开编辑页面后，其他工作人员已修改并保存了该目录事项，本次修改尚未保存。您填写的内容保留在下方；请先另开窗口查看对方的修改，核对后再保存（再次保存将覆盖对方的修改）。",
  },
  catalog_version_not_draft: {
    status: 409,
    message: "该目录版本已发布或已被替代，不能修改；请在草稿版本中修改。",
  },
  catalog_draft_exists: {
    status: 409,
    message: "该目录已有一个草稿版本：请先发布或放弃现有草稿，或选择替换现有草稿。",
  },
  catalog_reason_required: { status: 409, message: "删除或弱化目录事项须逐项说明理由后才能发布。" },
  catalog_import_unreadable: { status: 400, message: "无法读取该文件：文件已损坏或格式不正确。" },
  catalog_import_unsupported_type: {
    status: 415,
    message: "不支持该文件类型：请导入 .xlsx、.docx、.csv、.tsv、.html 或 .json 格式的目录。",
  },
  catalog_import_no_header: {
    status: 422,
    message: "未能在文件中识别出目录表头（事项名称、公开内容、公开时限等列）。",
  },
  catalog_import_empty: { status: 422, message: "文件中没有任何目录事项。" },
  catalog_import_too_large: { status: 413, message: "文件中的行数超过上限。" },
  catalog_import_not_found: { status: 404, message: "未找到该导入预览，或它已被提交或放弃。" },
  standard_catalog_not_found: { status: 404, message: "未找到该标准目录。" },
  catalog_match_not_found: {
    status: 404,
    message: "比对结果中没有这一对待确认的匹配（目录可能已更新），请重新比对。",
  },
  // Accounts, sessions, audit
  login_failed: { status: 401, message: "用户名或密码不正确，或账户已被暂时锁定。" },
  password_change_required: { status: 403, message: "当前为管理员设置的初始或临时密码，请先设置新密码。" },
  login_throttled: { status: 429, message: "该地址登录失败次数过多，请稍后再试。" },
  token_password_change_required: {
    status: 403,
    message: "该账户须先在控制台设置新密码，API 令牌才能使用。",
  },
  platform_account_reset_restricted: {
    status: 403,
    message: "三员分立：平台管理账户（系统、安全、审计管理员）的密码和动态验证码只能由服务器上的命令行重置。",
  },
  duplicate_username: { status: 409, message: "该用户名已被使用。" },
  role_separation_violation: { status: 409, message: "三员分立：该角色不能与账户已有的角色兼任。" },
  user_not_found: { status: 404, message: "未找到该用户。" },
  setup_unavailable: { status: 404, message: "初始化链接无效或已使用。" },
  upload_rejected: { status: 415, message: "不支持该文件类型，或文件内容与扩展名不符。" },
  // Untrusted documents (src/documents/: inspected and parsed in isolated workers)
  document_too_large_uncompressed: {
    status: 413,
    message: "文件解压后过大（疑似“压缩炸弹”），已拒绝。",
  },
  document_too_many_entries: { status: 413, message: "文件内部条目过多，已拒绝。" },
  document_compression_ratio: { status: 413, message: "文件压缩比异常（疑似“压缩炸弹”），已拒绝。" },
  document_nested_archive: { status: 415, message: "文件内嵌的压缩包过多，已拒绝。" },
  document_structure_invalid: { status: 415, message: "文件结构与其类型不符，或文件已损坏。" },
  document_polyglot: { status: 415, message: "文件中夹带了网页代码，已拒绝。" },
  document_too_many_cells: {
    status: 413,
    message: "表格中的合并单元格范围过大（疑似“表格炸弹”），已拒绝。",
  },
  document_parse_timeout: { status: 422, message: "文件解析超时（文件过于复杂），已拒绝。" },
  document_parse_memory: { status: 413, message: "文件解析所需内存超过上限（文件过于复杂），已拒绝。" },
  document_parser_busy: { status: 503, message: "文件解析队列已满，请稍后再试。" },
  // Applications for disclosure (依申请公开)
  info_request_not_found: { status: 404, message: "未找到该政府信息公开申请。" },
  info_request_conflict: { status: 409, message: "该申请已被其他工作人员修改，请刷新页面后重试。" },
  info_request_invalid_state: { status: 409, message: "该申请当前所处的办理环节不能执行此操作。" },
  info_request_deadline_invalid: { status: 409, message: "该操作不符合条例关于答复期限的规定。" },
  info_request_period_not_ended: { status: 409, message: "期限尚未届满，不能按视为放弃申请处理。" },
  info_request_fee_exists: {
    status: 409,
    message: "该申请已发出收费通知：一件申请只能选择一种计收方式并收费一次。",
  },
  info_request_extension_exists: { status: 409, message: "该申请已延期答复：答复期限只能延长一次。" },
  info_request_extension_absent: { status: 409, message: "该申请没有待批准的延期申请，无需撤回。" },
  info_request_extension_approved: {
    status: 409,
    message: "延期已经批准并告知申请人，不能撤回；如提前答复，直接作出答复即可。",
  },
  info_request_lookup_failed: { status: 404, message: "查询码或手机号码后四位不正确，请核对后重试。" },
  info_request_correction_once: {
    status: 409,
    message: "条例第三十条规定补正应一次性告知：本申请已告知过补正，不能再次要求补正。",
  },
  info_request_notice_contact_missing: {
    status: 409,
    message: "本机关政府信息公开指南中的联系信息不完整，暂不能生成告知书。请先在“政府信息公开指南”中填写。",
  },
  applicant_access_denied: { status: 404, message: "链接无效或已过期，请重新查询。" },
  encryption_key_missing: {
    status: 503,
    message:
      "系统尚未配置个人信息加密密钥，暂不能受理政府信息公开申请。请联系平台管理员配置 GONGKAI_ENCRYPTION_KEY。",
  },
  // Annual report (政府信息公开工作年度报告)
  report_not_found: { status: 404, message: "未找到该年度报告。" },
  report_conflict: { status: 409, message: "该年度报告已被其他工作人员修改，请刷新页面后重试。" },
  report_invalid_transition: { status: 409, message: "年度报告当前所处的环节不能执行此操作。" },
  report_check_failed: { status: 409, message: "年度报告未通过校验，请先修改下列单元格后再提交。" },
  report_year_invalid: {
    status: 400,
    message: "报告年度无效：只能编制2021年度及以后、且不晚于本年度的报告。",
  },
  report_year_not_ended: {
    status: 409,
    message: "统计年度（1月1日至12月31日）尚未结束，不能提交或发布该年度报告。",
  },
  regional_report_not_found: { status: 404, message: "尚未生成该区域本年度的汇总年度报告。" },
  report_import_unreadable: { status: 400, message: "无法读取该年度报告文件：文件已损坏或格式不正确。" },
  report_import_unsupported_type: {
    status: 415,
    message: "不支持该文件类型：请导入年度报告网页（.html）或 Word 文档（.docx）。",
  },
  // Publishing (政府信息发布)
  record_not_found: { status: 404, message: "未找到该政府信息。" },
  record_import_unreadable: { status: 400, message: "无法读取导入文件：文件已损坏或格式不正确。" },
  record_import_unsupported_type: {
    status: 415,
    message: "不支持该文件类型：请导入 .xlsx、.csv、.tsv 或 .json 文件。",
  },
  record_import_no_header: { status: 422, message: "导入文件中没有可识别的表头或缺少必需的列。" },
  record_import_too_large: { status: 413, message: "导入文件的行数超过上限，请分批导入。" },
  record_import_duplicate: { status: 409, message: "导入的索引号已被其他信息使用，未导入任何信息。" },
  record_import_item_invalid: { status: 422, message: "指定的默认目录事项不在本机关已发布的目录中。" },
  record_import_option_invalid: { status: 422, message: "导入选项的写法不正确。" },
  record_invalid_transition: { status: 409, message: "该信息当前所处的环节不能执行此操作。" },
  record_conflict: {
    status: 409,
    message:
      "您打开编辑页面后，其他工作人员已修改并保存了该信息，本次修改尚未保存。您填写的内容保留在下方；请先另开窗口查看对方的修改，核对后再保存（再次保存将覆盖对方的修改）。",
  },
  record_precondition_failed: {
    status: 412,
    message:
      "读取该信息后，其内容已有变化（If-Match 与当前的 ETag 不同，例如他人保存了草稿），本次请求未执行。请重新读取（GET）该信息，核对变化后带新的 ETag 再提交。",
  },
  record_changed_since_opened: {
    status: 409,
    message:
      "您打开本页后，该信息的内容已变化（例如起草人收回修改后重新提交），本次操作未执行。请查看下方当前的内容，核对后再操作。",
  },
  record_recall_not_possible: { status: 409, message: "该信息当前不能收回。" },
  record_revision_open: { status: 409, message: "该信息已有未发布的修订版本，请在该版本上修改。" },
  record_checklist_incomplete: { status: 400, message: "请逐项完成保密审查和隐私审查后再审核通过。" },
  record_personal_data_found: {
    status: 409,
    message:
      "发现疑似个人信息（身份证号、手机号、银行卡号、个人住址或姓名），请逐项一键脱敏或删除，或由审签人说明理由后放行。",
  },
  record_mask_finding_gone: {
    status: 409,
    message: "该处个人信息已不在原位置（可能已脱敏或内容已修改），请刷新页面后重试。",
  },
  record_mask_not_applicable: {
    status: 409,
    message: "正文中该内容被格式分隔，无法一键脱敏：请退回起草人在编辑器中手工修改。",
  },
  record_content_check_blocked: {
    status: 409,
    message: "发布前检测发现须改正的问题（禁用敏感词或领导职务错误），请退回修改后再审签。",
  },
  content_check_entry_not_found: { status: 404, message: "未找到该敏感词或领导职务记录。" },
  disclosure_rule_not_found: { status: 404, message: "未找到该公开制度。" },
  content_check_run_not_found: { status: 404, message: "未找到该次检测。" },
  record_not_proactive: { status: 409, message: "只有公开属性为“主动公开”的信息才能在平台发布。" },
  record_index_unavailable: {
    status: 409,
    message: "无法生成索引号：请先在发布设置中登记机关代码并检查索引号格式。",
  },
  record_obligation_not_found: { status: 404, message: "未找到该定期更新任务。" },
  record_obligation_closed: { status: 409, message: "该期更新任务已完成，不能重复办理。" },
  attachment_not_found: { status: 404, message: "未找到该附件。" },
  // Working-day calendar and deadlines (工作日历与期限)
  calendar_override_invalid: { status: 400, message: "工作日历调整未通过校验，请按提示修改。" },
  calendar_override_duplicate: { status: 409, message: "该日期已有工作日历调整记录。" },
  calendar_override_not_found: { status: 404, message: "未找到该工作日历调整记录。" },
  calendar_notice_not_found: { status: 404, message: "未找到该年度的放假通知。" },
  calendar_year_invalid: { status: 400, message: "年份无效或超出工作日历范围。" },
  deadline_expression_invalid: {
    status: 400,
    message: "期限表达式或日期无效，例如：20wd（工作日）、10d（自然日）、1m（月）。",
  },
  deadline_invalid: { status: 409, message: "该操作不符合条例关于期限计算的规定。" },
  // Background jobs (后台任务)
  job_not_found: { status: 404, message: "未找到该后台任务。" },
  jobs_not_running: {
    status: 503,
    message: "本进程未运行后台任务（GONGKAI_JOBS=false），请在运行后台任务的进程中操作。",
  },
  // Operations: backup, restore, export (备份、恢复与导出)
  backup_invalid: { status: 400, message: "该文件不是有效的 Gongkai 备份，或备份文件已损坏。" },
  backup_checksum_mismatch: {
    status: 422,
    message: "备份内容的校验值不符：备份文件已损坏或被修改，未恢复任何数据。",
  },
  backup_schema_mismatch: {
    status: 409,
    message: "备份的数据库结构版本与本程序不同：请使用生成该备份的 Gongkai 版本恢复，然后再升级。",
  },
  restore_target_not_empty: {
    status: 409,
    message: "恢复目标不是空的：只能恢复到空的数据目录或空的数据库。",
  },
  export_scope_invalid: {
    status: 400,
    message: "请指定导出范围：一个机关（--agency）或整个平台（--platform）。",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem with one input field, shown next to that field. */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { fields?: FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message ?? ERROR_CODES[code].message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.fields = options.fields ?? [];
    this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Throws `validation_failed` listing each field's problem. */
export function validationError(fields: FieldError[], message?: string): AppError {
  return new AppError("validation_failed", message, { fields });
}

export function notFound(code: ErrorCode = "not_found", message?: string): AppError {
  return new AppError(code, message);
}
