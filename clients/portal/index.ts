import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
/** Every named schema of the API: Schemas['ApplicationProgress'], Schemas['Problem'], … */
export type Schemas = components['schemas'];
/** An RFC 9457 problem document, as every error of the API is. */
export type Problem = Schemas['Problem'];
export type HallClient = Client<paths>;

/**
 * A typed client of the Service Hall API. `baseUrl` is where the hall is served (its paths begin
 * with /api/v1); `fetch` defaults to the global one.
 */
export function createHallClient(baseUrl: string, fetch?: (request: Request) => Promise<Response>): HallClient {
  return createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
}

/** Sends the session token on every request: `hall.use(bearer(token))`. */
export function bearer(token: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}
