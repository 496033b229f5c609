/**
 * Zendesk error envelopes. Every refusal the sandbox sends is built here so the shapes stay
 * consistent with API-NOTES §6.1.
 */

/** An HTTP answer a handler gives instead of its normal result. */
export interface ApiProblem {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Thrown by handlers to stop with a Zendesk-shaped error; the server turns it into a response. */
export class ApiError extends Error {
  readonly problem: ApiProblem;
  constructor(problem: ApiProblem) {
    super(`HTTP ${problem.status}`);
    this.problem = problem;
  }
}

/** Per-field validation detail, as in `details.email[0]`. */
export interface FieldDetail {
  readonly description: string;
  readonly error?: string;
}

export type ValidationDetails = Record<string, FieldDetail[]>;

export const problems = {
  recordNotFound: (): ApiProblem => ({ status: 404, body: { error: 'RecordNotFound', description: 'Not found' } }),
  invalidEndpoint: (): ApiProblem => ({ status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } }),
  unauthenticated: (): ApiProblem => ({
    status: 401,
    body: { error: "Couldn't authenticate you" },
    headers: { 'www-authenticate': 'Basic realm="Web Password"' },
  }),
  invalidToken: (): ApiProblem => ({
    status: 401,
    body: {
      error: 'invalid_token',
      error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
    },
    headers: { 'www-authenticate': 'Bearer realm="Zendesk", error="invalid_token"' },
  }),
  forbidden: (): ApiProblem => ({
    status: 403,
    body: {
      error: {
        title: 'Forbidden',
        message: 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
      },
    },
  }),
  recordInvalid: (details: ValidationDetails): ApiProblem => ({
    status: 422,
    body: { error: 'RecordInvalid', description: 'Record validation errors', details },
  }),
  tooManyValues: (description: string): ApiProblem => ({ status: 400, body: { error: 'TooManyValues', description } }),
  badRequest: (description: string): ApiProblem => ({ status: 400, body: { error: 'BadRequest', description } }),
  invalidAttribute: (message: string): ApiProblem => ({
    status: 400,
    body: { error: { title: 'Invalid attribute', message } },
  }),
  paginationDepth: (): ApiProblem => ({
    status: 400,
    body: {
      errors: [
        {
          code: 'InvalidPaginationDepth',
          title: 'Invalid pagination depth',
          detail: 'Offset pagination is limited to the first 10,000 records. Use cursor pagination instead.',
        },
      ],
    },
  }),
  invalidPagination: (detail: string): ApiProblem => ({
    status: 400,
    body: { errors: [{ code: 'InvalidPaginationParameter', title: 'Invalid pagination parameter', detail }] },
  }),
  payloadTooLarge: (): ApiProblem => ({
    status: 413,
    body: { error: 'RequestEntityTooLarge', description: 'The request body is too large' },
    headers: { connection: 'close' },
  }),
} as const;

/** Shorthand: throw a problem from inside a handler. */
export function fail(problem: ApiProblem): never {
  throw new ApiError(problem);
}
