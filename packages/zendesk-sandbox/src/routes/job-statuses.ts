import { fail, problems } from '../http/errors.ts';
import { ok, type RouteDef } from '../http/route.ts';
import { views } from '../views/resource-views.ts';
import { listParam } from './helpers.ts';

const read = { access: 'read' } as const;

/** Job statuses (API-NOTES §5); the list is newest first. */
export const jobStatusRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/job_statuses', access: 'agent', scope: read, controller: 'job_statuses', action: 'index',
    handler: (ctx) => {
      const size = Math.min(100, Math.max(1, Number(ctx.query.get('page[size]') ?? '100') || 100));
      const all = [...ctx.account.jobs.all].reverse();
      const page = all.slice(0, size);
      return ok({ job_statuses: page.map((j) => views.job(j, ctx.base)), meta: { has_more: all.length > size, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } });
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
