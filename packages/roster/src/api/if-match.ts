/**
 * Optimistic concurrency on the wire: a write names the version it read, as `If-Match: "<version>"`
 * or as a `version` field in the body; responses carry `ETag: "<version>"`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalidField } from '../errors/app-error.ts';

const etagPattern = /^(?:W\/)?"?(\d{1,9})"?$/;

/** The version the caller expects, or undefined when it named none. Header and body must agree. */
export function expectedVersion(request: Pick<FastifyRequest, 'headers'>, bodyVersion?: number): number | undefined {
  const header = request.headers['if-match'];
  let fromHeader: number | undefined;
  if (typeof header === 'string' && header.trim() !== '' && header.trim() !== '*') {
    const m = etagPattern.exec(header.trim());
    if (!m) throw invalidField('headers.if-match', 'must be "<version>" as sent in the ETag header');
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw invalidField('body.version', `disagrees with the If-Match header (${fromHeader})`);
  }
  return fromHeader ?? bodyVersion;
}

/** Like `expectedVersion`, but a write without a version is refused (428), so no change is lost. */
export function requiredVersion(request: Pick<FastifyRequest, 'headers'>, bodyVersion?: number): number {
  const v = expectedVersion(request, bodyVersion);
  if (v === undefined) {
    throw new AppError('precondition_required', 'Name the version you are changing: send If-Match: "<version>" (from the ETag) or a version field.', {
      issues: [{ path: 'headers.if-match', reason: 'missing; or send body.version' }],
    });
  }
  return v;
}

/** Sets `ETag: "<version>"`. */
export const setEtag = (reply: FastifyReply, version: number): void => {
  void reply.header('etag', `"${version}"`);
};
