/**
 * @module 发布前检测 console pages (/admin/agencies/:agency/content-checks…): the agency's sensitive words and
 * leaders' terms (`checks.manage`), runs of the checks over published records, and a run's report (HTML, CSV).
 * A run is chosen with `?run=` (default: the latest finished one).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { validationError } from "../errors.ts";
import { pageContext } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { type FormFailure, type StaffContext, staffRoute } from "../http/staff-route.ts";
import { getRun, recentRuns, runCsv, startPublishedCheck } from "./content-check-run.service.ts";
import { addLeader, addWords, getCheckLists, removeLeader, removeWord } from "./content-checks.service.ts";
import { checksPage, reportPage } from "./content-checks.views.ts";
import { adminRecordPath } from "./record.paths.ts";

const FIELDS = ["words", "severity", "name", "title", "validFrom", "validTo"] as const;

export function contentChecksRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/content-checks",
    label: "发布前检测",
    action: "checks.manage",
    order: 158,
    description: "维护本机关敏感词和领导姓名职务，检测全部已发布信息。",
  });
  const base = (c: StaffContext<unknown, unknown>) =>
    `/admin/agencies/${encodeURIComponent(c.agency.slug)}/content-checks`;
  const render = async (c: StaffContext<unknown, unknown>, failure?: FormFailure) =>
    checksPage(pageContext(c.request), {
      agency: c.agency,
      lists: await getCheckLists(deps.db, c.agency.id),
      runs: await recentRuns(deps.db, c.agency.id),
      errors: failure?.errors ?? [],
      message: failure?.message,
      done: typeof c.query.done === "string" ? c.query.done : undefined,
      values: failure ? Object.fromEntries(FIELDS.map((f) => [f, bodyString(c.body, f, 20000)])) : {},
    });
  const idOf = (body: unknown) => {
    const id = bodyString(body, "id", 100);
    if (id === "") throw validationError([{ field: "id", message: "请选择要删除的条目" }]);
    return id;
  };

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/content-checks",
    policy: "checks.manage",
    handle: (c) => render(c),
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/content-checks/words",
    policy: "checks.manage",
    handle: (c) =>
      addWords(deps, c.actor, c.agency.id, {
        words: bodyString(c.body, "words", 20000),
        severity: bodyString(c.body, "severity", 10),
      }),
    redirect: (c) => `${base(c)}?done=words`,
    form: render,
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/content-checks/words/delete",
    policy: "checks.manage",
    input: idOf,
    handle: (c) => removeWord(deps, c.actor, c.agency.id, c.input),
    redirect: (c) => `${base(c)}?done=word-deleted`,
    form: render,
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/content-checks/leaders",
    policy: "checks.manage",
    handle: (c) =>
      addLeader(deps, c.actor, c.agency.id, {
        name: bodyString(c.body, "name", 100),
        title: bodyString(c.body, "title", 100),
        validFrom: bodyString(c.body, "validFrom", 20),
        validTo: bodyString(c.body, "validTo", 20),
      }),
    redirect: (c) => `${base(c)}?done=leader`,
    form: render,
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/content-checks/leaders/delete",
    policy: "checks.manage",
    input: idOf,
    handle: (c) => removeLeader(deps, c.actor, c.agency.id, c.input),
    redirect: (c) => `${base(c)}?done=leader-deleted`,
    form: render,
  });
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/content-checks/runs",
    policy: "checks.manage",
    handle: (c) => startPublishedCheck(deps, c.actor, c.agency.id),
    redirect: (c) => `${base(c)}?done=run#runs-h`,
  });

  /** The run named by ?run=, else the latest finished one (null when none). */
  const chosenRun = async (c: StaffContext<unknown, unknown>) => {
    const id = typeof c.query.run === "string" ? c.query.run : "";
    if (id !== "") return getRun(deps.db, c.agency.id, id);
    return (await recentRuns(deps.db, c.agency.id)).find((r) => r.status === "done") ?? null;
  };
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/content-checks/report",
    policy: "checks.manage",
    handle: async (c) => reportPage(pageContext(c.request), { agency: c.agency, run: await chosenRun(c) }),
  });
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/content-checks/report.csv",
    policy: "checks.manage",
    handle: async (c) => {
      const run = await chosenRun(c);
      const origin = deps.config.publicUrl.replace(/\/$/, "");
      const csv = run ? runCsv(run, (id) => `${origin}${adminRecordPath(id, c.agency.slug)}`) : "\ufeff";
      c.reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="content-checks-${c.agency.slug}.csv"`)
        .header("cache-control", "private, no-store");
      return c.reply.send(csv);
    },
  });
}
