import { allRoutes, type HttpUseCases } from './controllers/index.js';
import { buildOpenApi } from './openapi.js';
import { SsoFlowCookie } from './sso-flow-cookie.js';
import { MetricsAccess } from './metrics-access.js';

/** The version the document carries (the API's, not the package's). */
export const API_VERSION = '0.1.0';

const notServing = (what: string) => () => {
  throw new Error(`${what}: the API is only being described, nothing is served`);
};

/** Use cases that are never called: declaring the routes reads none of them. */
const describedOnly = new Proxy(
  {},
  {
    get: (_target, useCase) =>
      new Proxy({}, { get: (_t, method) => notServing(`${String(useCase)}.${String(method)}`) }),
  },
) as HttpUseCases;

/**
 * The OpenAPI document of the HTTP API without a database or any service: the same route
 * declarations the server serves, only described (the typed client is generated from it).
 */
export function describeApi(version = API_VERSION): Record<string, unknown> {
  const routes = allRoutes(describedOnly, {
    metrics: { exposition: notServing('metrics') },
    metricsAccess: new MetricsAccess({ token: undefined, open: false }),
    clock: { now: () => new Date(0) },
    flowCookie: new SsoFlowCookie('described-only-never-signs-anything', true),
    attachmentMaxBytes: 1,
  });
  return buildOpenApi(routes, version);
}
