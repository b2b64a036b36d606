import { XMLParser } from 'fast-xml-parser';
import { UnauthenticatedError } from '../../../domain/shared/errors.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { SsoIdentity, SsoProvider } from '../../../application/ports/sso-provider.port.js';

export interface CasConfig {
  /** The CAS server's base, e.g. https://cas.university.example/cas */
  serverUrl: string;
  /** This hall's callback, exactly as registered with CAS (the `service`). */
  serviceUrl: string;
  /** CAS 3.0 (/p3/serviceValidate, attributes) or 2.0 (/serviceValidate). */
  protocol: 'p3' | 'v2';
  /** Which attribute is the person id (staff/student number); 'user' is cas:user itself. */
  idAttribute: string;
  timeoutMs: number;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
});

type Success = { user?: unknown; attributes?: Record<string, unknown> };
type Failure = { '@code'?: string; '#text'?: string } | string;

/** CAS: login redirect, service-ticket validation over HTTP (XML), attributes, single logout. */
export class CasSsoProvider implements SsoProvider {
  readonly id = 'cas';

  constructor(private readonly config: CasConfig) {}

  private service(returnTo?: string): string {
    return returnTo ? `${this.config.serviceUrl}?returnTo=${encodeURIComponent(returnTo)}` : this.config.serviceUrl;
  }

  begin(o: { returnTo?: string }): Promise<{ url: string; flow: null }> {
    return Promise.resolve({
      url: `${this.config.serverUrl}/login?service=${encodeURIComponent(this.service(o.returnTo))}`,
      flow: null,
    });
  }

  async complete(o: { query: Record<string, string | undefined> }): Promise<Result<SsoIdentity, UnauthenticatedError>> {
    const ticket = o.query.ticket;
    if (!ticket || !/^ST-[A-Za-z0-9._-]{1,256}$/.test(ticket))
      return err(new UnauthenticatedError('AUTH.CAS_NO_TICKET', 'the CAS callback carries no valid service ticket'));
    const path = this.config.protocol === 'p3' ? '/p3/serviceValidate' : '/serviceValidate';
    const url = `${this.config.serverUrl}${path}?service=${encodeURIComponent(this.service(o.query.returnTo))}&ticket=${encodeURIComponent(ticket)}`;
    let xml: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.config.timeoutMs) });
      if (!res.ok)
        return err(new UnauthenticatedError('AUTH.CAS_UNAVAILABLE', `the CAS server answered ${res.status}`));
      xml = await res.text();
    } catch (e) {
      return err(
        new UnauthenticatedError(
          'AUTH.CAS_UNAVAILABLE',
          `the CAS server could not be reached: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
    const doc = parser.parse(xml) as {
      serviceResponse?: { authenticationSuccess?: Success; authenticationFailure?: Failure };
    };
    const failure = doc.serviceResponse?.authenticationFailure;
    if (failure !== undefined) {
      const code = typeof failure === 'string' ? 'UNKNOWN' : (failure['@code'] ?? 'UNKNOWN');
      return err(new UnauthenticatedError(`AUTH.CAS_${code}`, `CAS refused the ticket: ${code}`));
    }
    const success = doc.serviceResponse?.authenticationSuccess;
    if (!success || typeof success.user !== 'string')
      return err(
        new UnauthenticatedError('AUTH.CAS_BAD_RESPONSE', 'the CAS server sent an answer this hall cannot read'),
      );
    const attributes: Record<string, string> = { user: success.user };
    for (const [k, v] of Object.entries(success.attributes ?? {}))
      attributes[k] = Array.isArray(v) ? String(v[0]) : String(v);
    const personId = attributes[this.config.idAttribute];
    if (!personId)
      return err(
        new UnauthenticatedError('AUTH.CAS_NO_ID', `the CAS answer has no '${this.config.idAttribute}' attribute`),
      );
    return ok({ personId, provider: this.id, attributes, externalRef: ticket, returnTo: o.query.returnTo ?? null });
  }

  logoutReference(body: Record<string, string | undefined>): string | null {
    const xml = body.logoutRequest;
    if (!xml) return null;
    const doc = parser.parse(xml) as { LogoutRequest?: { SessionIndex?: unknown } };
    const index = doc.LogoutRequest?.SessionIndex;
    return typeof index === 'string' && index.startsWith('ST-') ? index : null;
  }
}
