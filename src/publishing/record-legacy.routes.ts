/**
 * @module Old publishing URLs (/admin/records…, /admin/notices…, the agency in `?agency=`) answer with a redirect to
 * the same page under /admin/agencies/:agency/… (301 for GET, 308 for POST so a form sent from an old page is
 * sent again). The agency is `?agency=`, else the record's own agency (when the user may act there), else the
 * user's own. Bookmarks, e-mailed links and stored notice links keep working.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { Action } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { legacyAgency, legacyRedirect } from "../http/staff-route.ts";
import { noticesPath, recordsPath } from "./record.paths.ts";
import { recordAgencyId } from "./record-query.service.ts";

const STEPS: [string, Action][] = [
  ["submit", "record.draft"],
  ["review", "record.review"],
  ["approve", "record.approve"],
  ["publish", "record.publish"],
  ["return", "record.return"],
  ["withdraw", "record.withdraw"],
  ["revise", "record.draft"],
  ["channels", "record.draft"],
];

/** Old URL, method and the policy of the page it moved to. */
const OLD: ["GET" | "POST", string, Action][] = [
  ["GET", "/admin/records", "record.read"],
  ["POST", "/admin/records", "record.draft"],
  ["GET", "/admin/records/new", "record.draft"],
  ["GET", "/admin/records/:id", "record.read"],
  ["POST", "/admin/records/:id", "record.draft"],
  ["GET", "/admin/records/:id/edit", "record.draft"],
  ...STEPS.map(([step, policy]): ["POST", string, Action] => ["POST", `/admin/records/:id/${step}`, policy]),
  ["POST", "/admin/records/:id/attachments/:aid/delete", "record.draft"],
  ["GET", "/admin/records/:id/attachments/:aid", "record.read"],
  ["GET", "/admin/records/obligations", "record.read"],
  ["POST", "/admin/records/obligations/:oid/attest", "record.publish"],
  ["GET", "/admin/records/rereview", "record.rereview"],
  ["POST", "/admin/records/rereview/interval", "agency.manage"],
  ["POST", "/admin/records/rereview/:id", "record.review"],
  ["GET", "/admin/records/settings", "agency.manage"],
  ["POST", "/admin/records/settings", "agency.manage"],
  ["GET", "/admin/notices", "record.read"],
  ["POST", "/admin/notices/:nid/read", "notice.mark_read"],
];

export async function recordLegacyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const register = (scope: FastifyInstance, method: "GET" | "POST", url: string, policy: Action) =>
    legacyRedirect(scope, {
      method,
      url,
      policy,
      to: async (request, reply) => {
        const id = (request.params as { id?: string }).id;
        const agency = await legacyAgency(
          deps,
          request,
          reply,
          policy,
          id ? () => recordAgencyId(deps.db, id) : undefined,
        );
        const path = request.url.split("?", 1)[0] as string;
        return path.startsWith("/admin/notices")
          ? noticesPath(agency.slug, path.slice("/admin/notices".length))
          : recordsPath(agency.slug, path.slice("/admin/records".length));
      },
    });
  for (const [method, url, policy] of OLD) register(app, method, url, policy);
  // The upload form posts multipart: its old URL needs the parser registered to answer at all.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.config.maxUploadBytes, files: 1 } });
    register(scope, "POST", "/admin/records/:id/attachments", "record.draft");
  });
}
