/**
 * @module The background jobs of every feature (the job runner's composition root, as app.ts is for routes).
 * Each feature contributes its definitions from its own `*.jobs.ts`; nothing runs until src/jobs/job-runner.ts
 * is started with this list (by `gongkai serve`).
 */
import { accountJobs } from "./accounts/accounts.jobs.ts";
import type { JobDefinition } from "./jobs/job.ts";
import { opsJobs } from "./ops/ops.jobs.ts";
import { publishingJobs } from "./publishing/publishing.jobs.ts";
import { reportJobs } from "./reports/report.jobs.ts";
import { requestJobs } from "./requests/requests.jobs.ts";

export function featureJobs(): JobDefinition[] {
  return [...publishingJobs(), ...requestJobs(), ...reportJobs(), ...accountJobs(), ...opsJobs()];
}
