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

/**
 * One HTTP route, declared once: the same declaration validates requests and generates the
 * OpenAPI document, so the document cannot drift from what is served.
 */
export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
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
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handle(input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; ctx: RequestContext; req: Request; res: Response }): Promise<HttpReply>;
}

export function route<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(spec: RouteSpec<P, Q, B>): RouteSpec {
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
