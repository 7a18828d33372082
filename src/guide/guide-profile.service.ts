/**
 * @module Use cases of the 政府信息公开指南's data (agency_profiles): read an agency's profile, and let the agency
 * edit it (audited; `guide.updated` is emitted after the change commits, the portal drops its cached pages).
 */
import type { AuditEventInput } from "../audit/audit.service.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { contentStamp } from "../shared/crypto.ts";
import { findAgencyProfile, lockAgencyProfile, upsertAgencyProfile } from "./agency-profile.repository.ts";
import type { AgencyProfileRow } from "./agency-profile.table.ts";
import {
  type Channel,
  EMPTY_PROFILE,
  type GuideProfile,
  isChannel,
  normalizeChannels,
} from "./guide-profile.rules.ts";

function rowToProfile(row: AgencyProfileRow): GuideProfile {
  return {
    officeName: row.office_name,
    officeAddress: row.office_address,
    postalCode: row.postal_code,
    officeHours: row.office_hours,
    phone: row.phone,
    fax: row.fax,
    email: row.email,
    website: row.website,
    readingRoom: row.reading_room,
    channels: normalizeChannels(row.channels),
    intro: row.intro,
    obtainNote: row.obtain_note,
    applyNote: row.apply_note,
    feesNote: row.fees_note,
    reviewBody: row.review_body,
    court: row.court,
    supervisorBody: row.supervisor_body,
    remediesNote: row.remedies_note,
  };
}

/**
 * A fingerprint of an agency's stored guide data: the edit form carries it, and a save from a form opened before
 * someone else's save is refused (guide_conflict).
 */
export function guideStamp(profile: GuideProfile): string {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(EMPTY_PROFILE) as (keyof GuideProfile)[]) values[key] = profile[key];
  return contentStamp(values);
}

/** The agency's guide data (defaults when it has never been edited). */
export async function getGuideProfile(
  db: DbOrTx,
  agencyId: string,
): Promise<GuideProfile & { updatedAt: Date | null }> {
  const row = await findAgencyProfile(db, agencyId);
  return row ? { ...rowToProfile(row), updatedAt: row.updated_at } : { ...EMPTY_PROFILE, updatedAt: null };
}

/** Text fields of the form with their maximum lengths. */
export const PROFILE_TEXT_FIELDS: readonly { key: Exclude<keyof GuideProfile, "channels">; max: number }[] = [
  { key: "officeName", max: 100 },
  { key: "officeAddress", max: 200 },
  { key: "postalCode", max: 6 },
  { key: "officeHours", max: 200 },
  { key: "phone", max: 100 },
  { key: "fax", max: 100 },
  { key: "email", max: 200 },
  { key: "website", max: 200 },
  { key: "readingRoom", max: 500 },
  { key: "intro", max: 5000 },
  { key: "obtainNote", max: 5000 },
  { key: "applyNote", max: 5000 },
  { key: "feesNote", max: 5000 },
  { key: "reviewBody", max: 200 },
  { key: "court", max: 200 },
  { key: "supervisorBody", max: 200 },
  { key: "remediesNote", max: 5000 },
];

/**
 * Validates form input into a profile.
 * @throws AppError validation_failed (fields name each problem)
 */
export function parseProfileInput(input: Record<string, unknown>): GuideProfile {
  const fields: FieldError[] = [];
  const text = (key: string, max: number): string => {
    const raw = input[key];
    const value = (Array.isArray(raw) ? raw[0] : raw) ?? "";
    const s = String(value).replaceAll("\u0000", "").replace(/\r\n/g, "\n").trim();
    if (Array.from(s).length > max) fields.push({ field: key, message: `不能超过${max}个字` });
    return s;
  };
  const profile = { ...EMPTY_PROFILE };
  for (const f of PROFILE_TEXT_FIELDS) profile[f.key] = text(f.key, f.max);
  if (profile.postalCode && !/^\d{6}$/.test(profile.postalCode))
    fields.push({ field: "postalCode", message: "邮政编码应为6位数字" });
  if (profile.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(profile.email))
    fields.push({ field: "email", message: "电子邮箱格式不正确" });
  for (const key of ["phone", "fax"] as const)
    if (profile[key] && !/^[0-9０-９()（）\-—+ 、,，;；转]+$/.test(profile[key]))
      fields.push({ field: key, message: "只能填写号码（数字、括号、连字符、“转”）" });
  if (profile.website && !/^https?:\/\/\S+$/.test(profile.website))
    fields.push({ field: "website", message: "网址应以 http:// 或 https:// 开头" });
  const rawChannels = input.channels;
  const list = (
    Array.isArray(rawChannels) ? rawChannels : rawChannels === undefined ? [] : [rawChannels]
  ).map(String);
  if (list.some((c) => !isChannel(c))) fields.push({ field: "channels", message: "申请渠道无效" });
  profile.channels = normalizeChannels(list.filter(isChannel) as Channel[]);
  if (fields.length) throw validationError(fields);
  return profile;
}

/**
 * Saves the guide data of an agency, audited in the same transaction; drops the agency's cached portal pages.
 * `stamp` (guideStamp of the data when the form was opened) refuses a save over someone else's later save.
 * @throws AppError validation_failed | guide_conflict
 */
export async function updateGuideProfile(
  deps: Pick<Deps, "db" | "events" | "audit">,
  agencyId: string,
  input: Record<string, unknown>,
  actor: Pick<AuditEventInput, "actorId" | "actorName" | "ip">,
  options: { stamp?: string } = {},
): Promise<GuideProfile> {
  const profile = parseProfileInput(input);
  await deps.db.transaction().execute(async (trx) => {
    const before = await lockAgencyProfile(trx, agencyId);
    if (options.stamp && options.stamp !== guideStamp(before ? rowToProfile(before) : EMPTY_PROFILE))
      throw new AppError("guide_conflict");
    await upsertAgencyProfile(
      trx,
      agencyId,
      {
        office_name: profile.officeName,
        office_address: profile.officeAddress,
        postal_code: profile.postalCode,
        office_hours: profile.officeHours,
        phone: profile.phone,
        fax: profile.fax,
        email: profile.email,
        website: profile.website,
        reading_room: profile.readingRoom,
        channels: profile.channels,
        intro: profile.intro,
        obtain_note: profile.obtainNote,
        apply_note: profile.applyNote,
        fees_note: profile.feesNote,
        review_body: profile.reviewBody,
        court: profile.court,
        supervisor_body: profile.supervisorBody,
        remedies_note: profile.remediesNote,
      },
      actor.actorId,
    );
    await deps.audit.record(trx, {
      ...actor,
      action: "guide.update",
      agencyId,
      entityType: "agency_profile",
      entityId: agencyId,
      summary: "修改政府信息公开指南",
      before: before ? rowToProfile(before) : null,
      after: profile,
    });
  });
  deps.events.emit("guide.updated", { agencyId });
  return profile;
}
