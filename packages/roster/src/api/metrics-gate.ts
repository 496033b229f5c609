/**
 * `/metrics` behind a bearer token when `ROSTER_METRICS_TOKEN` is set. Prometheus sends the token as
 * `Authorization: Bearer …`, the header API tokens use: so this hook runs before authentication,
 * and a correct metrics token is consumed here (the header is removed) instead of being looked up
 * as an API token. Without the setting `/metrics` stays open, whatever credentials a request carries.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';

export const METRICS_PATH = '/metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function registerMetricsGate(app: FastifyInstance, token: string | undefined): void {
  if (!token) {
    // Open metrics ignore credentials: a scraper still sending an old token is not refused.
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.url === METRICS_PATH) delete request.headers.authorization;
    });
    return;
  }
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url !== METRICS_PATH) return;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
      throw new AppError('unauthenticated', 'The metrics need the metrics token: send "Authorization: Bearer <ROSTER_METRICS_TOKEN>".', {
        issues: [{ path: 'headers.authorization', reason: match ? 'not the metrics token' : 'missing' }],
      });
    }
    delete request.headers.authorization;
  });
}
