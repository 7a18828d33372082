/**
 * Signing in from tests without the password round trip (argon2 is slow by design): a real server-side session is
 * created in-process and returned as a Cookie header with its matching CSRF token.
 *
 *   const s = await signIn(app, user);
 *   await app.inject({ url: "/admin", headers: s.headers });                               // GET
 *   await app.inject({ method: "POST", url, headers: s.headers, payload: { ... } });        // x-csrf-token header
 *   await app.inject({ method: "POST", url, headers: { cookie: s.cookie }, payload: { _csrf: s.csrfToken } });
 */
import type { FastifyInstance } from "fastify";

export interface Credentials {
  /** Value for the Cookie header (session + CSRF cookies). */
  cookie: string;
  /** The CSRF token (form field `_csrf` or header `x-csrf-token`). */
  csrfToken: string;
  /** `{ cookie, "x-csrf-token" }`: pass as inject headers. */
  headers: { cookie: string; "x-csrf-token": string };
}

function withHeaders(c: { cookie: string; csrfToken: string }): Credentials {
  return { ...c, headers: { cookie: c.cookie, "x-csrf-token": c.csrfToken } };
}

export async function signIn(app: FastifyInstance, user: { id: string }): Promise<Credentials> {
  return withHeaders(await app.credentials.forUser(user.id));
}

/** A CSRF cookie + token for an anonymous visitor (public forms). */
export function anonymous(app: FastifyInstance): Credentials {
  return withHeaders(app.credentials.anonymous());
}

/** Extracts the `_csrf` value rendered into a page. */
export function csrfFromPage(body: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
}

/** Merges Set-Cookie headers of a response into a Cookie header (for multi-step flows such as the sign-in form). */
export function mergeCookies(cookieHeader: string, setCookie: string | string[] | undefined): string {
  const jar = new Map<string, string>();
  for (const part of cookieHeader.split(/;\s*/)) {
    const i = part.indexOf("=");
    if (i > 0) jar.set(part.slice(0, i), part.slice(i + 1));
  }
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  for (const c of list) {
    const first = c.split(";")[0] ?? "";
    const i = first.indexOf("=");
    if (i <= 0) continue;
    const name = first.slice(0, i);
    const value = first.slice(i + 1);
    if (value === "" || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}
