import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The API answers JSON (and PDFs, files, metrics text) that no browser should run, frame or
 * sniff: a policy that allows nothing.
 */
export const apiSecurityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * Swagger UI (`/api/docs`) is a page of its own: its scripts, style sheets and images come from
 * this origin; its styles set inline style attributes (hence 'unsafe-inline' for styles only) and
 * its icons are data: URLs. No inline script, no eval, no other origin, never framed.
 */
export const docsSecurityHeaders: RequestHandler = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  },
});
