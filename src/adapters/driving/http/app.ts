import { AddressRateLimit } from './address-rate-limit.js';
import express, { type Request, type Response, type NextFunction } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Logger } from 'pino';
import type { FieldProblem } from '../../../domain/shared/errors.js';
import type { Clock } from '../../../application/ports/clock.port.js';
import type { DatabaseAvailability } from '../../../application/ports/database-availability.port.js';
import type { IdempotencyStore } from '../../../application/ports/idempotency-store.port.js';
import type { Metrics } from '../../../application/ports/metrics.port.js';
import { createHash } from 'node:crypto';
import { buildOpenApi } from './openapi.js';
import { API_VERSION } from './api-document.js';
import { errorHandler, problem, sendProblem } from './problem.js';
import { expressPath, type RequestContext, type RouteSpec } from './route.js';
import { zodProblems } from './validation.js';
import { unsafeInputProblems } from './unsafe-input.js';
import { allRoutes, type HttpUseCases } from './controllers/index.js';
import { SsoFlowCookie } from './sso-flow-cookie.js';
import { apiSecurityHeaders, docsSecurityHeaders } from './security-headers.js';
import { MetricsAccess, type MetricsAccessSettings } from './metrics-access.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * What the HTTP API is given: the use cases it calls, and the ports of the edge itself (metrics,
 * Idempotency-Key records, telling "try again later" from a fault, the time).
 */
export interface HttpAppDeps {
  useCases: HttpUseCases;
  metrics: Metrics;
  idempotency: IdempotencyStore;
  availability: DatabaseAvailability;
  clock: Clock;
  logger: Logger;
  /**
   * `secureCookies`: the single sign-on callbacks are https, so the flow cookie is Secure.
   * `trustedProxies`: the only peers whose X-Forwarded-For names the client (addresses, CIDR ranges).
   * `metrics`: who may scrape /metrics.
   */
  settings: {
    attachmentMaxBytes: number;
    sessionSecret: string;
    secureCookies: boolean;
    trustedProxies: string[];
    metrics: MetricsAccessSettings;
    /** Calls a minute per client address to the routes anyone may call (`limitedPerAddress`). */
    publicCallsPerMinute: number;
  };
}

/** The express application: every route comes from a RouteSpec, so the OpenAPI document describes all of them. */
export function createHttpApp(deps: HttpAppDeps, version = API_VERSION): express.Express {
  const { useCases, metrics, idempotency, clock, logger, settings } = deps;
  const flowCookie = new SsoFlowCookie(settings.sessionSecret, settings.secureCookies);
  const routes = allRoutes(useCases, {
    metrics,
    metricsAccess: new MetricsAccess(settings.metrics),
    clock,
    flowCookie,
    attachmentMaxBytes: settings.attachmentMaxBytes,
  });
  const openapi = buildOpenApi(routes, version);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // the client address (login protection, audit, CAS single logout) is the peer's, unless the
  // peer is a configured reverse proxy: anyone else could name any address in X-Forwarded-For
  app.set('trust proxy', settings.trustedProxies.length ? settings.trustedProxies : false);

  app.use(apiSecurityHeaders);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest({
        method: req.method,
        route: (res.locals.route as string | undefined) ?? 'unmatched',
        status: res.statusCode,
        seconds,
      });
      if (res.locals.problemCode) metrics.countProblem({ code: res.locals.problemCode as string });
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: seconds * 1000,
          actor: res.locals.actorId,
        },
        'request',
      );
    });
    next();
  });
  // bodies are read by the route they are for: a path that is no route is a 404 whatever its body
  const bodyParsers = [
    express.json({ limit: '1mb' }),
    // CAS single-logout requests arrive as a form post
    express.urlencoded({ extended: false, limit: '64kb' }),
  ];

  for (const spec of routes) {
    const parsers = spec.rawBodyLimit ? [express.raw({ type: () => true, limit: spec.rawBodyLimit })] : bodyParsers;
    const limit = spec.limitedPerAddress ? new AddressRateLimit(settings.publicCallsPerMinute, 60_000) : null;
    app[spec.method](expressPath(spec.path), ...parsers, async (req: Request, res: Response) => {
      res.locals.route = spec.path;
      const wait = limit?.take(req.ip ?? req.socket.remoteAddress ?? '?');
      if (wait) {
        return sendProblem(
          res,
          problem(
            429,
            'HTTP.TOO_MANY_REQUESTS',
            `at most ${settings.publicCallsPerMinute} calls a minute from one address`,
            {
              retryAfterSeconds: wait,
            },
          ),
        );
      }
      // every answer of the API is about someone or something now: sessions, applications, counters
      res.setHeader('Cache-Control', 'no-store');
      const ctx: RequestContext = { requestId: res.locals.requestId as string };
      // text PostgreSQL cannot store, and nesting that would overflow the stack, never get further
      const unsafe = unsafeInputProblems([
        ...(spec.params ? [{ in: 'path' as const, value: req.params }] : []),
        ...(spec.query ? [{ in: 'query' as const, value: req.query }] : []),
        ...(spec.body ? [{ in: 'body' as const, value: req.body as unknown }] : []),
      ]);
      if (unsafe.length) {
        return sendProblem(res, problem(400, 'HTTP.INVALID_REQUEST', 'the request is invalid', { errors: unsafe }));
      }
      if (spec.auth) {
        const signedIn = await useCases.authenticate.execute({ token: bearer(req), requestId: ctx.requestId });
        if (!signedIn.ok) throw signedIn.error;
        ctx.actor = signedIn.value.actor;
        ctx.sessionId = signedIn.value.sessionId;
        res.locals.actorId = signedIn.value.actor.personId;
      }
      const problems: Array<FieldProblem & { in: string }> = [];
      const parse = (schema: RouteSpec['params'], value: unknown, where: 'path' | 'query' | 'body') => {
        if (!schema) return value;
        const r = schema.safeParse(value);
        if (r.success) return r.data;
        problems.push(...zodProblems(r.error, where));
        return undefined;
      };
      const params = parse(spec.params, req.params, 'path');
      const query = parse(spec.query, req.query, 'query');
      const body = parse(spec.body, req.body, 'body');
      if (problems.length) {
        return sendProblem(res, problem(400, 'HTTP.INVALID_REQUEST', 'the request is invalid', { errors: problems }));
      }
      const key = spec.idempotent ? req.header('idempotency-key') : undefined;
      if (key !== undefined && ctx.actor) {
        if (!IDEMPOTENCY_KEY.test(key)) {
          return sendProblem(
            res,
            problem(400, 'HTTP.INVALID_REQUEST', 'the request is invalid', {
              errors: [{ in: 'header', path: '/Idempotency-Key', message: '1-255 printable ASCII characters' }],
            }),
          );
        }
        const who = { actor: ctx.actor.personId, key };
        const hash = createHash('sha256').update(JSON.stringify({ params, body })).digest('hex');
        const claim = await idempotency.begin({ ...who, operation: spec.operationId, hash, at: clock.now() });
        if (claim.kind === 'mismatch')
          return sendProblem(
            res,
            problem(422, 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for a different request'),
          );
        if (claim.kind === 'in-progress')
          return sendProblem(
            res,
            problem(409, 'IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is still being processed'),
          );
        if (claim.kind === 'replay') {
          res.setHeader('Idempotent-Replayed', 'true');
          return res.status(claim.status).json(claim.body);
        }
        try {
          const reply = await spec.handle({ params, query, body, ctx, req, res });
          await idempotency.complete({ ...who, status: reply.status, body: reply.body });
          return res.status(reply.status).json(reply.body);
        } catch (e) {
          // the request's own failure is the answer; a key that cannot be given back now (the
          // database is gone) is taken over once its lease lapses
          await idempotency.release(who).catch(() => undefined);
          throw e;
        }
      }
      const reply = await spec.handle({ params, query, body, ctx, req, res });
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      if (reply.body === undefined) res.status(reply.status).end();
      else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) res.status(reply.status).send(reply.body);
      else res.status(reply.status).json(reply.body);
    });
  }

  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(
    '/api/docs',
    docsSecurityHeaders,
    swaggerUi.serve,
    swaggerUi.setup(openapi, { customSiteTitle: 'Service Hall API' }),
  );

  app.use((req: Request, res: Response) => {
    sendProblem(res, problem(404, 'HTTP.NOT_FOUND', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(logger, deps.availability));
  return app;
}
