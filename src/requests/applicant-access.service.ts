/**
 * @module The applicant's secure page (issue #16 item 3): access by 查询码 + the last four digits of the phone, or by
 * a one-time link sent by e-mail/SMS; a session scoped to that one application afterwards; every access logged.
 *
 * - Failures are generic (`info_request_lookup_failed` / `applicant_access_denied`): a wrong code, wrong digits, a
 *   locked application, an unknown, used or expired link all look the same.
 * - Per address: the routes' rate limits. Per application: after LOOKUP_LOCK.failures failed look-ups within
 *   LOOKUP_LOCK.minutes the code is refused even with the right digits until the window has passed (the failures are
 *   in the access log the handler sees). One-time links: at most LINKS_PER_HOUR per application.
 * - Tokens (session cookie, link) are 256-bit random values; only their SHA-256 is stored. A link token is also
 *   HMAC-signed with the server secret, so forged tokens are refused without a database look-up; it expires after
 *   LINK_MINUTES and works once (marked used atomically).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Agency, listAgenciesByName } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import {
  countAccessSince,
  countLinksSince,
  deleteSession,
  findLiveSession,
  insertAccess,
  insertLink,
  insertSession,
  touchSession,
  useLink,
} from "./applicant-online.repository.ts";
import type { AccessKind } from "./applicant-online.table.ts";
import { findByQueryCode, findInfoRequest } from "./info-request.repository.ts";
import type { InfoRequestRow } from "./info-request.table.ts";
import { matchQueryCode } from "./info-request-query.service.ts";
import { decryptPersonal, normalizeQueryCode, parseEncryptionKey } from "./personal-data.ts";

/** Idle time after which an applicant session ends. */
export const SESSION_IDLE_MINUTES = 30;
/** A one-time link is valid this long. */
export const LINK_MINUTES = 30;
export const LINKS_PER_HOUR = 3;
export const LOOKUP_LOCK = { failures: 5, minutes: 15 } as const;

const minutes = (n: number) => n * 60_000;
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
const newToken = (): string => randomBytes(32).toString("base64url");

function linkKey(deps: Pick<Deps, "config">): Buffer {
  return createHmac("sha256", deps.config.secret ?? deps.config.encryptionKey ?? "gongkai")
    .update("gongkai-applicant-link")
    .digest();
}

function signLink(deps: Pick<Deps, "config">, random: string): string {
  return createHmac("sha256", linkKey(deps)).update(random).digest("base64url").slice(0, 32);
}

/** `random.signature`, or null when the signature does not match (forged or mangled). */
export function verifyLinkToken(deps: Pick<Deps, "config">, token: unknown): string | null {
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const [random, sig] = token.split(".") as [string, string];
  const expected = Buffer.from(signLink(deps, random));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

export interface ApplicantSession {
  /** The cookie value (only its hash is stored). */
  token: string;
  agencyId: string;
  requestId: string;
}

async function openSession(
  deps: Deps,
  row: Pick<InfoRequestRow, "agency_id" | "id">,
  via: "code" | "link",
  ip: string | null,
): Promise<ApplicantSession> {
  const token = newToken();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertSession(trx, {
      agency_id: row.agency_id,
      request_id: row.id,
      token_hash: hashToken(token),
      via,
      expires_at: new Date(now.getTime() + minutes(SESSION_IDLE_MINUTES)),
    });
    await insertAccess(trx, {
      agency_id: row.agency_id,
      request_id: row.id,
      kind: via === "code" ? "lookup" : "link_used",
      ip,
      at: now,
    });
  });
  return { token, agencyId: row.agency_id, requestId: row.id };
}

/**
 * 查询码 + last four phone digits → a session on that application.
 * @throws AppError info_request_lookup_failed (wrong code, wrong digits or too many failures: the same error)
 */
export async function openWithCode(
  deps: Deps,
  input: { code: unknown; last4: unknown; ip: string | null },
): Promise<ApplicantSession> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - minutes(LOOKUP_LOCK.minutes));
  const normalized = normalizeQueryCode(input.code);
  const candidates = normalized ? await findByQueryCode(deps.db, normalized) : [];
  const locked = new Set<string>();
  for (const c of candidates)
    if ((await countAccessSince(deps.db, c.agency_id, c.id, "lookup_failed", since)) >= LOOKUP_LOCK.failures)
      locked.add(c.id);
  let row: InfoRequestRow | undefined;
  try {
    row = await matchQueryCode(deps, input.code, input.last4);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== "info_request_lookup_failed") throw e;
  }
  if (!row || locked.has(row.id)) {
    // Failed attempts on a real code count towards its lock-out and show in the handler's access log.
    for (const c of candidates)
      await insertAccess(deps.db, {
        agency_id: c.agency_id,
        request_id: c.id,
        kind: "lookup_failed",
        ip: input.ip,
        at: now,
      });
    throw new AppError("info_request_lookup_failed");
  }
  return openSession(deps, row, "code", input.ip);
}

export interface LinkRequestResult {
  /** Channels a link went out on (the page never tells the visitor; tests and logs may). */
  sentVia: ("email" | "sms")[];
}

/**
 * Sends a one-time link to the e-mail address (and, with an SMS gateway, the phone) given with the application.
 * The visitor always sees the same answer, whether the code exists, has contact details or hit the hourly cap.
 */
export async function requestLink(
  deps: Deps,
  input: { code: unknown; ip: string | null },
): Promise<LinkRequestResult> {
  const normalized = normalizeQueryCode(input.code);
  if (!normalized) return { sentVia: [] };
  const rows = await findByQueryCode(deps.db, normalized);
  const row = rows.length === 1 ? rows[0] : undefined;
  if (!row?.personal_enc) return { sentVia: [] };
  const now = deps.clock.now();
  if (
    (await countLinksSince(deps.db, row.agency_id, row.id, new Date(now.getTime() - minutes(60)))) >=
    LINKS_PER_HOUR
  )
    return { sentVia: [] };
  const personal = decryptPersonal(parseEncryptionKey(deps.config.encryptionKey), row.personal_enc, row.id);
  const messenger = deps.messenger ?? {};
  const channels: ("email" | "sms")[] = [];
  if (personal.email && messenger.email) channels.push("email");
  if (personal.phone && messenger.sms) channels.push("sms");
  const sentVia: ("email" | "sms")[] = [];
  for (const channel of channels) {
    const random = randomBytes(32).toString("base64url");
    const token = `${random}.${signLink(deps, random)}`;
    await insertLink(deps.db, {
      agency_id: row.agency_id,
      request_id: row.id,
      token_hash: hashToken(token),
      channel,
      created_at: now,
      expires_at: new Date(now.getTime() + minutes(LINK_MINUTES)),
    });
    const url = `${deps.config.publicUrl}/apply/link/${token}`;
    const text = `您好：\n\n您的政府信息公开申请（编号 ${row.number}）的查看链接如下，${LINK_MINUTES}分钟内有效，只能使用一次：\n${url}\n\n如非本人操作，请忽略本邮件。`;
    try {
      if (channel === "email" && messenger.email && personal.email)
        await messenger.email({
          to: [personal.email],
          subject: `政府信息公开申请${row.number}：查看链接`,
          text,
        });
      if (channel === "sms" && messenger.sms && personal.phone)
        await messenger.sms(
          personal.phone,
          `您的政府信息公开申请${row.number}查看链接（${LINK_MINUTES}分钟内有效，仅可使用一次）：${url}`,
        );
      sentVia.push(channel);
    } catch (e) {
      deps.logger.warn({ err: e, channel, requestId: row.id }, "applicant link could not be sent");
    }
  }
  if (sentVia.length)
    await insertAccess(deps.db, {
      agency_id: row.agency_id,
      request_id: row.id,
      kind: "link_sent",
      target: sentVia.join(","),
      ip: input.ip,
      at: deps.clock.now(),
    });
  return { sentVia };
}

/**
 * Uses a one-time link: a session on its application.
 * @throws AppError applicant_access_denied (forged, unknown, used or expired: the same error)
 */
export async function openWithLink(
  deps: Deps,
  input: { token: unknown; ip: string | null },
): Promise<ApplicantSession> {
  const token = verifyLinkToken(deps, input.token);
  if (!token) throw new AppError("applicant_access_denied");
  const link = await useLink(deps.db, hashToken(token), deps.clock.now());
  if (!link) throw new AppError("applicant_access_denied");
  return openSession(deps, { agency_id: link.agency_id, id: link.request_id }, "link", input.ip);
}

export interface ApplicantContext {
  agency: Agency;
  row: InfoRequestRow;
  session: { tokenHash: string };
  ip: string | null;
}

/**
 * The application a session cookie opens, for the application the URL names (a cookie of another application, or
 * none, is refused). Extends the idle expiry.
 * @throws AppError applicant_access_denied
 */
export async function applicantContext(
  deps: Deps,
  cookieToken: unknown,
  requestId: string,
  ip: string | null,
): Promise<ApplicantContext> {
  if (typeof cookieToken !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(cookieToken))
    throw new AppError("applicant_access_denied");
  const now = deps.clock.now();
  const tokenHash = hashToken(cookieToken);
  const session = await findLiveSession(deps.db, tokenHash, now);
  if (!session || session.request_id !== requestId) throw new AppError("applicant_access_denied");
  const row = await findInfoRequest(deps.db, session.agency_id, session.request_id);
  const agency = (await listAgenciesByName(deps.db)).find((a) => a.id === session.agency_id);
  if (!row || !agency) throw new AppError("applicant_access_denied");
  await touchSession(
    deps.db,
    session.agency_id,
    session.id,
    now,
    new Date(now.getTime() + minutes(SESSION_IDLE_MINUTES)),
  );
  return { agency, row, session: { tokenHash }, ip };
}

/** Logs one access of the applicant (view, notice, file …) for the handler. */
export async function logApplicantAccess(
  deps: Pick<Deps, "db" | "clock">,
  c: ApplicantContext,
  kind: AccessKind,
  target: string | null = null,
): Promise<void> {
  await insertAccess(deps.db, {
    agency_id: c.agency.id,
    request_id: c.row.id,
    kind,
    target,
    ip: c.ip,
    at: deps.clock.now(),
  });
}

export async function endApplicantSession(deps: Deps, c: ApplicantContext): Promise<void> {
  await deleteSession(deps.db, c.session.tokenHash);
  await logApplicantAccess(deps, c, "logout");
}
