import type { ServerResponse } from 'node:http';
import type { Reply } from './route.ts';

/** Writes a reply: JSON by default, HTML, plain text or a 302 redirect. */
export function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (reply.headers) for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  if (reply.cookies) res.setHeader('set-cookie', reply.cookies);
  res.statusCode = reply.status;
  if (reply.redirect !== undefined) {
    res.setHeader('location', reply.redirect);
    res.end();
    return;
  }
  if (reply.html !== undefined) {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(reply.html);
    return;
  }
  if (reply.text !== undefined) {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(reply.text);
    return;
  }
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(reply.body));
}

/** Zendesk's `x-zendesk-api-warn` header for unknown keys (API-NOTES §1.4, recorded format). */
export function apiWarnHeader(controller: string, action: string, keys: readonly string[]): string {
  const list = keys.map((k) => JSON.stringify(k)).join(', ');
  return `{:allowed_parameters=>{:controller=>"${controller}", :action=>"${action}", :unpermitted_keys=>[${list}], :invalid_values=>[]}}`;
}
