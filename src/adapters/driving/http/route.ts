import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../../application/ports/actor.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RequestContext {
  requestId: string;
  /** Present on routes with `auth: true`. */
  actor?: Actor;
  sessionId?: string;
}

export interface HttpReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Response headers worth documenting: name -> what it carries. */
export type ResponseHeaders = Readonly<Record<string, string>>;

/** A JSON body (application/json) described by a zod schema of exactly what the handler returns. */
export interface JsonResponse {
  description: string;
  schema: z.ZodType;
  headers?: ResponseHeaders;
}
/** A body that is not JSON (a PDF, an uploaded file, Prometheus text): each media type it may have, as binary or text. */
export interface ContentResponse {
  description: string;
  content: Readonly<Record<string, 'binary' | 'text'>>;
  headers?: ResponseHeaders;
}
/** No body: 204, or a redirect whose target is its Location header. */
export interface EmptyResponse {
  description: string;
  headers?: ResponseHeaders;
}
/** A problem document (application/problem+json, the Problem schema); the description says when. */
export interface ProblemResponse {
  description: string;
}

/** Statuses a route may declare besides its success; 400, 401, 413, 415, 422, 500 and 503 are added from the route's shape. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 500 | 503;

/** Every route answers success with a described body: JSON with a schema, another declared content type, 204, or a redirect. */
export type SuccessResponses =
  | { 200: JsonResponse | ContentResponse }
  | { 201: JsonResponse | ContentResponse }
  | { 204: EmptyResponse }
  | { 302: EmptyResponse & { headers: { Location: string } & ResponseHeaders } };

export type RouteResponses = SuccessResponses & { [S in ProblemStatus]?: ProblemResponse | JsonResponse };

/**
 * One HTTP route, declared once: the same declaration validates requests and generates the
 * OpenAPI document, so the document cannot drift from what is served.
 */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Full path in OpenAPI form: '/api/v1/service-items/{itemId}'. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  auth: boolean;
  /** Creating POSTs: honour an Idempotency-Key header under this operation name. */
  idempotent?: string;
  /** Uploads: the body is the raw bytes (a Buffer) of at most this many bytes, whatever its type. */
  rawBodyLimit?: number;
  /** Anyone may call it without signing in: calls are limited per client address (429 with Retry-After). */
  limitedPerAddress?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Media types of a raw body (with `rawBodyLimit`), for the document. */
  rawBodyTypes?: readonly string[];
  /** False on routes that never touch the database: they never answer 503 DATABASE.*. */
  database?: false;
  responses: RouteResponses;
  handle(input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    ctx: RequestContext;
    req: Request;
    res: Response;
  }): Promise<HttpReply>;
}

export function route<
  P extends z.ZodType = z.ZodObject,
  Q extends z.ZodType = z.ZodObject,
  B extends z.ZodType = z.ZodUnknown,
>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** '/api/v1/x/{id}' -> '/api/v1/x/:id' */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

export const uuidParam = z.string().uuid();
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
};
