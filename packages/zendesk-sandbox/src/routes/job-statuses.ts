import { fail, problems } from '../http/errors.ts';
import { ok, type RouteDef } from '../http/route.ts';
import { views } from '../views/resource-views.ts';
import type { JobRecord } from '../store/jobs.ts';
import { listParam } from './helpers.ts';
import { cursorEnvelope, readPaging } from './paging.ts';

const read = { access: 'read' } as const;

/** Job statuses (API-NOTES §5); the list is newest first, cursor-paged by submission order. */
export const jobStatusRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/job_statuses', access: 'agent', scope: read, controller: 'job_statuses', action: 'index',
    handler: (ctx) => {
      const paging = readPaging(ctx.query);
      const size = paging.mode === 'cursor' ? paging.size : 100;
      const after = paging.mode === 'cursor' ? paging.afterId : null;
      const before = paging.mode === 'cursor' ? paging.beforeId : null;
      const all = ctx.account.jobs.all;
      let page: JobRecord[];
      let hasMore: boolean;
      if (before !== null && after === null) {
        const newer = all.filter((j) => j.seq > before);
        page = newer.slice(0, size).reverse();
        hasMore = newer.length > size;
      } else {
        const older = all.filter((j) => after === null || j.seq < after).reverse();
        page = older.slice(0, size);
        hasMore = older.length > size;
      }
      const first = page[0];
      const last = page[page.length - 1];
      return ok({
        job_statuses: page.map((j) => views.job(j, ctx.base)),
        ...cursorEnvelope(ctx, size, first ? first.seq : null, last ? last.seq : null, hasMore),
      });
    },
  },
  {
    method: 'GET', path: '/api/v2/job_statuses/show_many', access: 'agent', scope: read, controller: 'job_statuses', action: 'show_many',
    handler: (ctx) => {
      const jobs = listParam(ctx, 'ids', 'job ids').flatMap((id) => {
        const job = ctx.account.jobs.get(id);
        return job ? [views.job(job, ctx.base)] : [];
      });
      return ok({ job_statuses: jobs });
    },
  },
  {
    method: 'GET', path: '/api/v2/job_statuses/:id', access: 'agent', scope: read, controller: 'job_statuses', action: 'show',
    handler: (ctx) => {
      const job = ctx.account.jobs.get(ctx.params.id ?? '');
      if (!job) fail(problems.recordNotFound());
      return ok({ job_status: views.job(job, ctx.base) });
    },
  },
];
