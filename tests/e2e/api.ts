import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../../openapi/hms';

/** The platform's API as the gateway serves it, typed from the committed document (openapi/hms.d.ts). */
export type HmsApi = Client<paths>;

/**
 * A typed client of the gateway (openapi-fetch over the types openapi-typescript made of
 * openapi/hms.json): paths, parameters, bodies and answers are checked against the contract at
 * compile time. `token` signs every request; `branchId` picks the branch to act in.
 */
export function hmsApi(baseUrl: string, options: { token?: string; branchId?: string } = {}): HmsApi {
  const client = createClient<paths>({ baseUrl });
  const sign: Middleware = {
    onRequest({ request }) {
      if (options.token) request.headers.set('authorization', `Bearer ${options.token}`);
      if (options.branchId) request.headers.set('x-branch-id', options.branchId);
      return request;
    },
  };
  client.use(sign);
  return client;
}

/** The answer's body when its status is `status`; otherwise an error naming what came instead. */
export function expectData<T>(result: { data?: T; error?: unknown; response: Response }, status: number): T {
  if (result.response.status !== status || result.data === undefined) {
    throw new Error(`expected ${status}, got ${result.response.status}: ${JSON.stringify(result.error ?? result.data).slice(0, 300)}`);
  }
  return result.data;
}

/** The answer must be a problem+json with `status`; its body (code, detail, errors). */
export function expectApiProblem(result: { error?: unknown; response: Response }, status: number): { code?: string; detail?: string } {
  if (result.response.status !== status) throw new Error(`expected a ${status} problem, got ${result.response.status}: ${JSON.stringify(result.error).slice(0, 300)}`);
  const type = result.response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`expected application/problem+json, got ${type}`);
  return (result.error ?? {}) as { code?: string; detail?: string };
}
