/**
 * @module 收回: POST /admin/agencies/:agency/records/:id/recall — the editor who submitted a record takes it back to
 * draft before review starts (recallRecord checks the submitter and the step; a refusal says why).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { staffRoute } from "../http/staff-route.ts";
import { adminRecordPath } from "./record.paths.ts";
import { recordResource } from "./record-query.service.ts";
import { recallRecord } from "./record-workflow.service.ts";

export function recordRecallRoutes(app: FastifyInstance, deps: Deps): void {
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/:id/recall",
    policy: "record.draft",
    load: (c) => recordResource(deps.db, c.agency.id, c.params.id ?? "", true),
    handle: async (c) => {
      await recallRecord(deps, c.actor, c.agency.id, c.params.id ?? "");
      return { redirect: `${adminRecordPath(c.params.id ?? "", c.agency.slug)}?done=recall` };
    },
  });
}
