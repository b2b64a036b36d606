import type express from 'express';
import { createHttpApp } from '../driving/http/app.js';
import type { Container } from './container.js';

/** The HTTP API of a container: its use cases and the edge's own ports. */
export function buildHttpApp(container: Container): express.Express {
  const { config, ports } = container;
  return createHttpApp({
    useCases: container.useCases,
    metrics: ports.metrics,
    idempotency: ports.idempotency,
    availability: ports.availability,
    clock: ports.clock,
    logger: container.logger,
    settings: {
      attachmentMaxBytes: config.attachmentMaxBytes,
      sessionSecret: config.sessionSecret,
      trustedProxies: config.trustedProxies,
      publicCallsPerMinute: config.publicCallsPerMinute,
      metrics: config.metrics,
      secureCookies: [config.cas?.serviceUrl, config.oidc?.redirectUri].some((u) => u?.startsWith('https:')),
    },
  });
}
