/**
 * @module The one way to declare a staff route of an agency. Every staff URL names its agency in the path
 * (`/admin/agencies/:agency/…`, the agency's slug); the helper resolves it (unknown slug → 404 agency_not_found),
 * loads the object named by the URL (optional), authorizes ONCE from the declared policy against the agency and that
 * object (`can()`; supervisors through their region), parses the input, calls the handler, and answers:
 * a redirect, a page, or JSON. On a validation error — or a permission error — of a form POST it re-renders the form
 * with what the user typed, the field errors, a summary at the top and a sentence saying what to do (a 403 never
 * wipes a draft). Another agency's object is always a 404 (its existence is not revealed).
 *
 *   staffRoute(app, deps, {
 *     method: "POST",
 *     url: "/admin/agencies/:agency/records/:id/channels",
 *     policy: "record.draft",
 *     load: (c) => recordResource(deps.db, c.agency.id, c.params.id),   // → { agencyId, departmentId, … }
 *     input: (body) => ({ channel: bodyString(body, "channel", 100) }),  // may throw validation_failed
 *     handle: (c) => logChannel(deps, c.actor, c.agency.id, c.params.id, c.input),
 *     redirect: (c) => recordPath(c.agency.slug, c.params.id, "channel"),
 *     form: (c, failure) => detailView(c, failure),                      // re-rendered on 400/403/409…
 *   });
 *
 * `handle` may return a page (`SafeHtml`, sent as 200 HTML), `{ redirect }`, the reply it already sent, or a value
 * sent as JSON. GET pages usually omit `redirect` and `form`. Old URLs answer with `legacyRedirect()` (301 for GET,
 * 308 for other methods). `/api/v1` routes use `staffRoute` too when their URL names the agency (`:slug`/`:agency`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";
import {
  type Action,
  staffActor as actorOfStaff,
  agencyScope,
  can,
  type Resource,
  type StaffActor,
  type StaffUser,
} from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug, listAgenciesByName } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, ERROR_CODES, type ErrorCode, type FieldError, isAppError } from "../errors.ts";
import { isSafeHtml, type SafeHtml } from "../shared/html.ts";
import { authorize, requireStaff } from "./auth-guard.ts";
import { isApiPath, sendHtml } from "./context.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The agency a `staffRoute` URL names (resolved before the body is validated). */
    staffAgency?: Agency;
    /** The object a `staffRoute` URL names (`load`, run before the body is validated). */
    staffResource?: unknown;
  }
}

/** Who performs an action: the one Actor (accounts/policy.ts) of a signed-in staff user. */
export type { StaffActor };

/** What a loader returns: the owning agency (and department) of the object the URL names, plus the object. */
export interface Owned {
  agencyId: string;
  departmentId?: string | null | undefined;
}

export interface StaffContext<R = undefined, I = undefined> {
  agency: Agency;
  user: StaffUser;
  actor: StaffActor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** The object named by the URL (`load`), when declared. */
  resource: R;
  /** The parsed input (`input`), when declared. */
  input: I;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Agencies the user may perform the route's action in (for agency switchers), ordered by name. */
  agencies(): Promise<Agency[]>;
}

/** Why a form is shown again: status, field errors and the sentence for the summary at the top. */
export interface FormFailure {
  status: number;
  code: ErrorCode;
  errors: FieldError[];
  message: string;
}

type Result = SafeHtml | FastifyReply | { redirect: string } | unknown;

export interface StaffRouteSpec<R extends Owned | undefined, I> {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Begins with `/admin/agencies/:agency/` (pages) or names the agency as `:slug`/`:agency` (API). */
  url: string;
  policy: Action;
  /** Extra Fastify options (schema, rateLimit, bodyLimit …). */
  options?: Omit<RouteShorthandOptions, "config"> & { config?: Record<string, unknown> };
  /** Loads the object named by the URL within `c.agency` (throws its *_not_found when absent). */
  load?: (c: StaffContext) => Promise<R>;
  /** Parses the body (or query); throws `validation_failed` with field errors. */
  input?: (body: unknown, c: StaffContext<R>) => I | Promise<I>;
  handle: (c: StaffContext<R, I>) => Promise<Result> | Result;
  /** Where a successful POST goes (303). */
  redirect?: (c: StaffContext<R, I>, result: unknown) => string;
  /** Re-renders the form of a failed POST with the typed values (`c.body`) and `failure`. */
  form?: (c: StaffContext<R, I | undefined>, failure: FormFailure) => Promise<SafeHtml> | SafeHtml;
  /**
   * Error codes that re-render the form besides validation_failed and forbidden (e.g. a refused transition), or a
   * predicate over the code (only client errors, status < 500, are re-rendered).
   */
  formErrors?: readonly ErrorCode[] | ((code: ErrorCode) => boolean);
}

const FORM_MESSAGES: Partial<Record<ErrorCode, string>> = {
  validation_failed: "提交的内容有误，请按下列提示修改后重新提交。",
  forbidden:
    "您没有执行此操作的权限，所填内容尚未保存，仍保留在下方。请复制保存，交由有权限的同事提交，或联系本机关政务公开办分配相应角色。",
};

export function staffActor(request: FastifyRequest, user: StaffUser): StaffActor {
  return actorOfStaff(user, request.ip);
}

/** Agencies the user may perform `action` in, by name. */
export async function agenciesFor(deps: Deps, user: StaffUser, action: Action): Promise<Agency[]> {
  const all = await listAgenciesByName(deps.db);
  const scope = agencyScope(user, action);
  return scope.all
    ? all
    : all.filter((a) => scope.agencyIds.includes(a.id) || scope.regionIds.includes(a.regionId));
}

function resourceOf(agency: Agency, owned: Owned | undefined): Resource {
  if (owned && owned.agencyId !== agency.id) throw new AppError("not_found");
  return {
    agencyId: agency.id,
    regionId: agency.regionId,
    ...(owned?.departmentId ? { departmentId: owned.departmentId } : {}),
  };
}

function isRedirect(v: unknown): v is { redirect: string } {
  return typeof v === "object" && v !== null && typeof (v as { redirect?: unknown }).redirect === "string";
}

/** Registers one staff route of an agency (see the module comment). */
export function staffRoute<R extends Owned | undefined = undefined, I = undefined>(
  app: FastifyInstance,
  deps: Deps,
  spec: StaffRouteSpec<R, I>,
): void {
  const { config, ...options } = spec.options ?? {};
  const contextOf = (request: FastifyRequest, reply: FastifyReply, user: StaffUser, agency: Agency) =>
    ({
      agency,
      user,
      actor: staffActor(request, user),
      params: (request.params ?? {}) as Record<string, string>,
      query: (request.query ?? {}) as Record<string, unknown>,
      body: request.body,
      resource: undefined,
      input: undefined,
      request,
      reply,
      agencies: () => agenciesFor(deps, user, spec.policy),
    }) satisfies StaffContext;
  app.route({
    ...options,
    method: spec.method,
    url: spec.url,
    // formRoute: the guard leaves the permission check to the handler, which re-renders the form on a 403.
    config: { ...config, policy: spec.policy, formRoute: spec.method !== "GET" && spec.form !== undefined },
    // Before the body is validated: an unknown agency, or staff of another agency (or region), is a 404 whatever
    // they sent (a 400 would tell them the object exists).
    preValidation: async (request, reply) => {
      const params = (request.params ?? {}) as Record<string, string>;
      const user = requireStaff(request, reply);
      const agency = await getAgencyBySlug(deps.db, params.agency ?? params.slug ?? "");
      // Membership only (an API token's scopes are checked against the route's policy below).
      const member = { ...user, tokenScopes: undefined };
      if (!can(member, "console.use", resourceOf(agency, undefined))) throw new AppError("not_found");
      request.staffAgency = agency;
      // The object the URL names, also before the body: another agency's id is a 404, never a 400.
      if (spec.load) request.staffResource = await spec.load(contextOf(request, reply, user, agency));
    },
    handler: async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const user = requireStaff(request, reply);
      const agency = request.staffAgency as Agency;
      // An agency switcher (a GET form with ?agency=) moves to the same page of the chosen agency.
      if (
        spec.method === "GET" &&
        !isApiPath(request.url) &&
        typeof query.agency === "string" &&
        query.agency !== "" &&
        query.agency !== agency.slug
      ) {
        const target = await getAgencyBySlug(deps.db, query.agency);
        const [path, search = ""] = request.url.split("?", 2);
        const rest = new URLSearchParams(search);
        rest.delete("agency");
        const qs = rest.toString();
        const newPath = (path as string).replace(
          `/agencies/${encodeURIComponent(agency.slug)}`,
          `/agencies/${encodeURIComponent(target.slug)}`,
        );
        return reply.redirect(`${newPath}${qs ? `?${qs}` : ""}`, 303);
      }
      const c = contextOf(request, reply, user, agency) as StaffContext<R, I>;
      if (spec.load) c.resource = request.staffResource as R;
      const isForm = spec.method !== "GET" && spec.form !== undefined;
      try {
        authorize(request, reply, spec.policy, resourceOf(agency, c.resource as Owned | undefined));
        if (spec.input) c.input = await spec.input(request.body, c as unknown as StaffContext<R>);
        const result = await spec.handle(c);
        if (reply.sent || result === reply) return reply;
        if (isRedirect(result)) return reply.redirect(result.redirect, 303);
        // A page is shown even where the route redirects after success (e.g. a search inside a form).
        if (isSafeHtml(result)) {
          reply.header("cache-control", "private, no-store");
          return sendHtml(reply, result);
        }
        if (spec.redirect) return reply.redirect(spec.redirect(c, result), 303);
        return result;
      } catch (e) {
        if (!isForm || !isAppError(e) || reply.sent) throw e;
        const extra = spec.formErrors;
        const reRender =
          e.code === "validation_failed" ||
          e.code === "forbidden" ||
          (typeof extra === "function" ? e.status < 500 && extra(e.code) : extra?.includes(e.code));
        if (!reRender) throw e;
        const failure: FormFailure = {
          status: e.status,
          code: e.code,
          errors: e.fields,
          message:
            e.code === "validation_failed" && e.fields.length === 0
              ? e.message
              : e.code === "forbidden" && e.message !== ERROR_CODES.forbidden.message
                ? // A refusal the service explains (e.g. who may withdraw an extension proposal): its reason.
                  `${e.message}所填内容尚未保存，仍保留在下方。`
                : (FORM_MESSAGES[e.code] ?? e.message),
        };
        const page = await (spec.form as NonNullable<typeof spec.form>)(
          c as StaffContext<R, I | undefined>,
          failure,
        );
        reply.header("cache-control", "private, no-store");
        return sendHtml(reply, page, failure.status);
      }
    },
  });
}

/**
 * Old URL → new URL: 301 for GET/HEAD, 308 for other methods (the body is sent again). `to` computes the target
 * (from `?agency=`, the object the URL names, or the user's own agency); query parameters other than `agency` are
 * kept. The route carries the same policy as its target so the guard answers as before (sign-in, 403).
 */
export function legacyRedirect(
  app: FastifyInstance,
  spec: {
    method: "GET" | "POST";
    url: string;
    policy: Action;
    to: (request: FastifyRequest, reply: FastifyReply) => Promise<string> | string;
    options?: Omit<RouteShorthandOptions, "config">;
  },
): void {
  app.route({
    ...spec.options,
    method: spec.method,
    url: spec.url,
    config: { policy: spec.policy },
    handler: async (request, reply) => {
      const target = await spec.to(request, reply);
      const [, search = ""] = request.url.split("?", 2);
      const rest = new URLSearchParams(search);
      rest.delete("agency");
      const [targetPath, targetSearch = ""] = target.split("?", 2);
      const merged = new URLSearchParams(targetSearch);
      for (const [k, v] of rest) if (!merged.has(k)) merged.append(k, v);
      const qs = merged.toString();
      return reply.redirect(`${targetPath}${qs ? `?${qs}` : ""}`, spec.method === "GET" ? 301 : 308);
    },
  });
}

/**
 * The agency an old URL meant: `?agency=slug`, else `owner` (the agency of the object the URL names, when the user
 * may act there), else the user's own agency, else the first agency the user may act in.
 */
export async function legacyAgency(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  action: Action,
  owner?: () => Promise<string | null | undefined>,
): Promise<Agency> {
  const user = requireStaff(request, reply);
  const slug = (request.query as { agency?: unknown }).agency;
  if (typeof slug === "string" && slug !== "") return getAgencyBySlug(deps.db, slug);
  const allowed = await agenciesFor(deps, user, action);
  const ownerId = owner ? await owner() : undefined;
  const agency =
    (ownerId ? allowed.find((a) => a.id === ownerId) : undefined) ??
    allowed.find((a) => a.id === user.agencyId) ??
    allowed[0];
  if (!agency) throw new AppError("forbidden");
  return agency;
}
