import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { InputError, UnauthenticatedError } from '../../../domain/shared/errors.js';
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
  /**
   * Besides the addresses the CAS server's host name resolves to, where its single-logout
   * requests may come from (addresses, CIDR ranges: a cluster behind one name, say).
   */
  logoutAllowedAddresses: readonly string[];
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

/** A logout request is a small SAML document: a DTD in it is never CAS's, and entity expansion is a known attack. */
const DECLARATIONS = /<!\s*(DOCTYPE|ENTITY)/i;

const badLogoutRequest = (message: string) =>
  new InputError('AUTH.CAS_BAD_LOGOUT_REQUEST', `the CAS logout request is refused: ${message}`, [
    { path: '/logoutRequest', message },
  ]);

/** '::ffff:10.0.0.1' (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function addRule(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.split('/');
  const plain = plainAddress(address);
  const type = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(plain, type);
  else list.addSubnet(plain, Number(prefix), type);
}

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

  logoutReference(body: Record<string, string | undefined>): Result<string | null, InputError> {
    const xml = body.logoutRequest;
    if (!xml) return ok(null);
    if (DECLARATIONS.test(xml)) return err(badLogoutRequest('document type and entity declarations are not accepted'));
    let doc: { LogoutRequest?: { SessionIndex?: unknown } };
    try {
      doc = parser.parse(xml, true) as typeof doc;
    } catch {
      return err(badLogoutRequest('not well-formed XML'));
    }
    const index = doc.LogoutRequest?.SessionIndex;
    return ok(typeof index === 'string' && index.startsWith('ST-') ? index : null);
  }

  /** The CAS server's addresses, resolved at each request (logouts are rare, addresses change), and the configured ones. */
  async acceptsLogoutFrom(address: string): Promise<boolean> {
    const from = plainAddress(address);
    const family = isIP(from);
    if (!family) return false;
    const allowed = new BlockList();
    for (const entry of this.config.logoutAllowedAddresses) addRule(allowed, entry);
    const host = new URL(this.config.serverUrl).hostname.replace(/^\[(.*)\]$/, '$1');
    try {
      for (const found of await lookup(host, { all: true })) addRule(allowed, found.address);
    } catch {
      // the name does not resolve now: only the configured addresses may end sessions
    }
    return allowed.check(from, family === 6 ? 'ipv6' : 'ipv4');
  }
}
