/**
 * @module API tokens: listing, creating (scoped to actions the user may perform, shown once) and revoking; audited.
 */
import type { DbOrTx } from "../db/database.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import { insertApiToken, listApiTokens, revokeApiToken } from "./accounts.repository.ts";
import type { AccountDeps } from "./accounts.service.ts";
import type { ApiTokenRow } from "./accounts.table.ts";
import {
  type Action,
  actorFields,
  ACTIONS as ROLES_BY_ACTION,
  type Role,
  type StaffActor,
  type StaffUser,
} from "./policy.ts";
import { API_TOKEN_PREFIX, hashToken, isAction, newToken } from "./session.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// API tokens

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

function toTokenInfo(r: ApiTokenRow): ApiTokenInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export async function listTokens(db: DbOrTx, userId: string): Promise<ApiTokenInfo[]> {
  return (await listApiTokens(db, userId)).map(toTokenInfo);
}

/**
 * Creates a token for the user's own integrations. Scopes must be actions the user may perform; the token is
 * shown once. @throws AppError validation_failed
 */
export async function createToken(
  deps: Pick<AccountDeps, "db" | "clock" | "audit">,
  actor: StaffActor,
  input: { name: string; scopes: string[]; expiresInDays?: number | undefined },
): Promise<{ token: string; info: ApiTokenInfo }> {
  const fields: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 60)
    fields.push({ field: "name", message: "请填写令牌名称（不超过60字）。" });
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) fields.push({ field: "scopes", message: "请至少选择一项权限。" });
  const mine = new Set(grantableScopes(actor.user));
  for (const s of scopes)
    if (!isAction(s) || !mine.has(s)) fields.push({ field: "scopes", message: `无效的权限范围：${s}` });
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 366))
    fields.push({ field: "expiresInDays", message: "有效期为 1–366 天。" });
  if (fields.length) throw validationError(fields);
  const token = newToken(API_TOKEN_PREFIX);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertApiToken(trx, {
      user_id: actor.user.id,
      name,
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      token_hash: hashToken(token),
      scopes,
      created_at: now,
      expires_at: days ? new Date(now.getTime() + days * 86_400_000) : null,
    });
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: "token.create",
      agencyId: actor.user.agencyId,
      entityType: "api_token",
      entityId: row.id,
      summary: `创建 API 令牌：${name}`,
      after: { name, scopes, expiresAt: row.expires_at },
    });
    return { token, info: toTokenInfo(row) };
  });
}

/** Actions the user could put in a token's scopes (the ones they may perform somewhere). */
export function grantableScopes(user: StaffUser): Action[] {
  const roles = new Set(user.grants.map((g) => g.role));
  return (Object.keys(ROLES_BY_ACTION) as Action[]).filter((a) =>
    (ROLES_BY_ACTION[a] as readonly Role[]).some((r) => roles.has(r)),
  );
}

/**
 * Revokes one of the actor's own tokens, or — `owner` given — a token of an account the actor manages (the caller
 * has authorized user.manage on that account). @throws AppError not_found
 */
export async function revokeToken(
  deps: Pick<AccountDeps, "db" | "clock" | "audit">,
  actor: StaffActor,
  tokenId: string,
  owner?: { id: string; username: string; homeAgencyId: string | null } | undefined,
): Promise<void> {
  if (!isUuid(tokenId)) throw new AppError("not_found");
  const ownerId = owner?.id ?? actor.user.id;
  await deps.db.transaction().execute(async (trx) => {
    const row = await revokeApiToken(trx, ownerId, tokenId, deps.clock.now());
    if (!row) throw new AppError("not_found");
    await deps.audit.record(trx, {
      ...actorFields(actor),
      action: "token.revoke",
      agencyId: owner ? owner.homeAgencyId : actor.user.agencyId,
      entityType: "api_token",
      entityId: row.id,
      summary: owner ? `撤销 ${owner.username} 的 API 令牌：${row.name}` : `撤销 API 令牌：${row.name}`,
      ...(owner ? { after: { ownerId: owner.id, name: row.name, prefix: row.prefix } } : {}),
    });
  });
}
