/**
 * @module Console download of the open export (src/ops/export.ts): an agency's administrator (本机关政务公开办)
 * downloads their agency, the platform administrator any agency or the whole platform. Without applicants'
 * personal data: that export is made on the command line (`gongkai export --with-personal-data`, audited).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { staffActor, systemActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { authorize } from "../http/auth-guard.ts";
import { writeOpenExport } from "./export.ts";

async function sendExport(
  deps: Deps,
  reply: import("fastify").FastifyReply,
  name: string,
  write: (file: string) => Promise<unknown>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-export-"));
  const file = path.join(dir, "export.zip");
  try {
    await write(file);
    const data = fs.readFileSync(file);
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="${name}-${deps.clock.today()}.zip"`)
      .type("application/zip")
      .send(data);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function exportRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/export.zip",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const agency = await getAgencyBySlug(deps.db, request.params.slug);
      authorize(request, reply, "agency.manage", { agencyId: agency.id });
      const actor = request.staff ? staffActor(request.staff, request.ip) : systemActor("");
      return sendExport(deps, reply, `gongkai-export-${agency.slug}`, (file) =>
        writeOpenExport(deps, file, { scope: { agencySlug: agency.slug }, actor }),
      );
    },
  );
  app.get("/admin/platform/export.zip", { config: { policy: "platform.manage" } }, async (request, reply) => {
    authorize(request, reply, "platform.manage");
    const actor = request.staff ? staffActor(request.staff, request.ip) : systemActor("");
    return sendExport(deps, reply, "gongkai-export-platform", (file) =>
      writeOpenExport(deps, file, { scope: { platform: true }, actor }),
    );
  });
}
