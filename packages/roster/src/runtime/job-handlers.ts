/** Every job handler `roster worker` and `roster serve` (with a worker) run: the composition root registers them. Add yours here. */
import type { AnyJobHandler } from '../jobs/handler.ts';
import { provisioningJobs } from '../provisioning/jobs/provisioning-jobs.ts';
import { importJobs } from '../provisioning/target-import/import-jobs.ts';

export const jobHandlers: AnyJobHandler[] = [...provisioningJobs, ...importJobs];
