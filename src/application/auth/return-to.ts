import { InputError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';

const SOMEWHERE_ELSE = 'https://hall.invalid';

const refuse = (message: string) =>
  err(
    new InputError('AUTH.RETURN_TO_NOT_ALLOWED', `returnTo ${message}`, [{ in: 'query', path: '/returnTo', message }]),
  );

/**
 * Where the portal sends the browser after a sign-in: a path of this site ('/portal/tasks'), or
 * a page of one of the portal's own origins. Never another site ('//evil.example' and '/\evil.example'
 * are other hosts to a browser, which also drops tabs and line breaks), never `javascript:`.
 */
export function checkReturnTo(
  returnTo: string | undefined,
  portalOrigins: readonly string[],
): Result<string | undefined, InputError> {
  if (returnTo === undefined || returnTo === '') return ok(undefined);
  if ([...returnTo].some((ch) => ch <= ' ' || ch === '\u007f' || ch === '\\'))
    return refuse('must not contain spaces, control characters or \\');
  if (returnTo.startsWith('/')) {
    if (returnTo.startsWith('//')) return refuse('must be a path of this site (one leading /), not another host');
    // belt and braces: whatever a URL parser makes of it stays on this site
    if (new URL(returnTo, SOMEWHERE_ELSE).origin !== SOMEWHERE_ELSE) return refuse('must be a path of this site');
    return ok(returnTo);
  }
  let url: URL;
  try {
    url = new URL(returnTo);
  } catch {
    return refuse('must be a path starting with / or a URL of the portal');
  }
  if (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !url.username &&
    !url.password &&
    portalOrigins.includes(url.origin)
  )
    return ok(returnTo);
  return refuse(
    `must be a path starting with / or a URL of the portal (${portalOrigins.join(', ') || 'none configured'})`,
  );
}
