/** Named shapes of the API, taken from the generated schema so they follow the server's contracts. */
import type { paths } from './schema.d.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of a 200/201 answer of `method` on `path`. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer A }
      ? Json<A>
      : never
  : never;

/** The JSON request body of `method` on `path`. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters of `method` on `path`. */
export type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type AdminView = Answer<'/api/session', 'get'>['admin'];
export type Permission = AdminView['permissions'][number];
export type User = Answer<'/api/users/{id}', 'get'>;
export type UserPage = Answer<'/api/users', 'get'>;
export type UserQuery = Query<'/api/users', 'get'>;
export type UserSort = NonNullable<UserQuery['sort']>;
export type CreateUserBody = Body<'/api/users', 'post'>;
export type UpdateUserBody = Body<'/api/users/{id}', 'patch'>;
export type Group = Answer<'/api/groups/{id}', 'get'>;
export type GroupMember = Answer<'/api/groups/{id}/members', 'get'>['items'][number];
