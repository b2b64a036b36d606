import express, { type Request, type Response, type NextFunction } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Logger } from 'pino';
import type { Container } from 'inversify';
import { UnauthenticatedError, type FieldProblem } from '../../../domain/shared/errors.js';
import { CLOCK, type Clock } from '../../../application/ports/clock.port.js';
import { SESSION_STORE, type SessionStore } from '../../../application/ports/session-store.port.js';
import { LOGGER } from '../../composition/tokens.js';
import { METRICS, type PrometheusMetrics } from '../../driven/prom-client/prometheus-metrics.js';
import { IDEMPOTENCY_STORE, type KnexIdempotencyStore } from '../../driven/objection/knex-idempotency-store.js';
import { createHash } from 'node:crypto';
import { buildOpenApi } from './openapi.js';
import { errorHandler, problem, sendProblem } from './problem.js';
import { expressPath, type RequestContext, type RouteSpec } from './route.js';
import { zodProblems } from './validation.js';
import { allRoutes } from './controllers/index.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** The express application: every route comes from a RouteSpec, so the OpenAPI document describes all of them. */
export function createHttpApp(container: Container, version = '0.1.0'): express.Express {
  const logger = container.get<Logger>(LOGGER);
  const sessions = container.get<SessionStore>(SESSION_STORE);
  const clock = container.get<Clock>(CLOCK);
  const metrics = container.get<PrometheusMetrics>(METRICS);
  const idempotency = container.get<KnexIdempotencyStore>(IDEMPOTENCY_STORE);
  const routes = allRoutes(container);
  const openapi = buildOpenApi(routes, version);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // client addresses (for login protection and audit) from a proxy on a private network
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest({ method: req.method, route: (res.locals.route as string | undefined) ?? 'unmatched', status: res.statusCode, seconds });
      if (res.locals.problemCode) metrics.countProblem(res.locals.problemCode as string);
      logger.info({
        requestId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode,
        ms: seconds * 1000, actor: res.locals.actorId,
      }, 'request');
    });
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  // CAS single-logout requests arrive as a form post
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  for (const spec of routes) {
    const raw = spec.rawBodyLimit ? [express.raw({ type: () => true, limit: spec.rawBodyLimit })] : [];
    app[spec.method](expressPath(spec.path), ...raw, async (req: Request, res: Response) => {
      res.locals.route = spec.path;
      const ctx: RequestContext = { requestId: res.locals.requestId as string };
      if (spec.auth) {
        const token = bearer(req);
        const session = token ? await sessions.resolve(token, clock.now()) : null;
        if (!session) throw new UnauthenticatedError('AUTH.REQUIRED', token ? 'the session token is invalid or has expired' : 'sign in first: send Authorization: Bearer <token>');
        ctx.actor = { personId: session.personId, requestId: ctx.requestId };
        ctx.sessionId = session.id;
        res.locals.actorId = session.personId;
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
          return sendProblem(res, problem(400, 'HTTP.INVALID_REQUEST', 'the request is invalid', { errors: [{ in: 'header', path: '/Idempotency-Key', message: '1-255 printable ASCII characters' }] }));
        }
        const who = { actor: ctx.actor.personId, key };
        const hash = createHash('sha256').update(JSON.stringify({ params, body })).digest('hex');
        const claim = await idempotency.begin({ ...who, operation: spec.operationId, hash, at: clock.now() });
        if (claim.kind === 'mismatch') return sendProblem(res, problem(422, 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for a different request'));
        if (claim.kind === 'in-progress') return sendProblem(res, problem(409, 'IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is still being processed'));
        if (claim.kind === 'replay') {
          res.setHeader('Idempotent-Replayed', 'true');
          return res.status(claim.status).json(claim.body);
        }
        try {
          const reply = await spec.handle({ params, query, body, ctx, req, res });
          await idempotency.complete({ ...who, status: reply.status, body: reply.body });
          return res.status(reply.status).json(reply.body);
        } catch (e) {
          await idempotency.release(who);
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

  app.get('/api/v1/openapi.json', (_req, res) => { res.json(openapi); });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Service Hall API' }));

  app.use((req: Request, res: Response) => {
    sendProblem(res, problem(404, 'HTTP.NOT_FOUND', `no route for ${req.method} ${req.path}`));
  });
  app.use(errorHandler(logger));
  return app;
}

