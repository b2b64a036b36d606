import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, InputError, type FieldProblem } from '../../../domain/shared/errors.js';
import type { DatabaseAvailability } from '../../../application/ports/database-availability.port.js';

/** RFC 9457 problem details with the hall's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: Array<FieldProblem & { in?: string }>;
  [extension: string]: unknown;
}

const STATUS: Record<DomainError['kind'], number> = {
  input: 400,
  unauthenticated: 401,
  'not-allowed': 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  429: 'Too Many Requests',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `urn:service-hall:problem:${code}`, title: TITLES[status] ?? 'Error', status, code, detail, ...extra };
}

/** Without a `retryAfterSeconds` of its own, a 429 asks the client to wait this long. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

export function sendProblem(res: Response, p: Problem): void {
  const requestId = res.locals.requestId as string | undefined;
  res.locals.problemCode = p.code;
  if (p.status === 429) {
    const seconds = typeof p.retryAfterSeconds === 'number' ? p.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS;
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(seconds))));
  }
  res
    .status(p.status)
    .type('application/problem+json')
    .json({ ...p, instance: res.req.originalUrl, ...(requestId ? { requestId } : {}) });
}

export function problemFromDomainError(e: DomainError): Problem {
  const status = STATUS[e.kind];
  return problem(status, e.code, e.message, {
    ...e.details,
    ...(e instanceof InputError && e.problems.length ? { errors: e.problems.map((p) => ({ in: 'body', ...p })) } : {}),
  });
}

/** Maps every error to a problem document; nothing ever leaks a stack trace. */
export function errorHandler(logger: Logger, availability: DatabaseAvailability): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof DomainError) return sendProblem(res, problemFromDomainError(error));
    const e = error as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed')
      return sendProblem(res, problem(400, 'HTTP.MALFORMED_JSON', 'the request body is not valid JSON'));
    if (e?.type === 'entity.too.large')
      return sendProblem(res, problem(413, 'HTTP.BODY_TOO_LARGE', 'the request body is too large'));
    if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
      return sendProblem(res, problem(415, 'HTTP.UNSUPPORTED_ENCODING', e.message ?? 'unsupported encoding'));
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendProblem(res, problem(e.status, 'HTTP.BAD_REQUEST', 'the request could not be read'));
    }
    const unavailable = availability.unavailable(error);
    if (unavailable) {
      // a transaction that could not get its connection never started: nothing was changed
      logger.warn(
        { err: error, requestId: res.locals.requestId, url: req.originalUrl },
        unavailable === 'busy' ? 'database connections exhausted' : 'database unavailable',
      );
      res.setHeader('Retry-After', unavailable === 'busy' ? '1' : '5');
      return sendProblem(
        res,
        unavailable === 'busy'
          ? problem(
              503,
              'DATABASE.BUSY',
              'every database connection stayed busy for the bounded wait; nothing was changed, try again shortly',
            )
          : problem(503, 'DATABASE.UNAVAILABLE', 'the database cannot be reached; try again later'),
      );
    }
    logger.error({ err: error, requestId: res.locals.requestId, url: req.originalUrl }, 'unhandled error');
    return sendProblem(
      res,
      problem(500, 'INTERNAL', 'an unexpected error occurred; quote the request id when reporting it'),
    );
  };
}
