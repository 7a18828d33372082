/**
 * @module 一键脱敏: POST /admin/agencies/:agency/records/:id/mask — masks one personal-data finding listed on the
 * record page (a plain form per finding; works without JavaScript). record-masking.service.ts does the work.
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { type FieldError, validationError } from "../errors.ts";
import { bodyString } from "../http/forms.ts";
import { staffRoute } from "../http/staff-route.ts";
import { UUID_PATTERN } from "../shared/ids.ts";
import type { MaskKind } from "./masking.rules.ts";
import { PERSONAL_DATA_LABELS } from "./personal-data.rules.ts";
import { adminRecordPath } from "./record.paths.ts";
import { type MaskRequest, maskFinding } from "./record-masking.service.ts";
import { recordResource } from "./record-query.service.ts";

/** Where a finding is: the title, summary, body or one attachment's text. */
const MASK_SOURCE = new RegExp(`^(title|summary|body|attachment:${UUID_PATTERN})$`);

export function parseMaskRequest(body: unknown): MaskRequest {
  const kind = bodyString(body, "kind", 20);
  const source = bodyString(body, "source", 100);
  const start = Number(bodyString(body, "start", 10));
  const length = Number(bodyString(body, "length", 10));
  const errors: FieldError[] = [];
  if (!Object.hasOwn(PERSONAL_DATA_LABELS, kind))
    errors.push({ field: "kind", message: "请选择要脱敏的个人信息" });
  if (!MASK_SOURCE.test(source)) errors.push({ field: "source", message: "请选择要脱敏的个人信息" });
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(length) || length < 1)
    errors.push({ field: "start", message: "请选择要脱敏的个人信息" });
  if (errors.length > 0) throw validationError(errors);
  return { kind: kind as MaskKind, source, start, length };
}

export function recordMaskingRoutes(app: FastifyInstance, deps: Deps): void {
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/:id/mask",
    policy: "record.mask",
    load: (c) => recordResource(deps.db, c.agency.id, c.params.id ?? "", true),
    input: parseMaskRequest,
    handle: (c) => maskFinding(deps, c.actor, c.agency.id, c.params.id ?? "", c.input),
    redirect: (c) => `${adminRecordPath(c.params.id ?? "", c.agency.slug)}?done=mask#findings`,
  });
}
