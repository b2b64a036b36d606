import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SsoFlow } from '../../../application/ports/sso-provider.port.js';

const TTL_SECONDS = 600;

/**
 * The state of a sign-in in progress (OpenID Connect's state, nonce and PKCE verifier), kept in an
 * HMAC-signed, HTTP-only cookie scoped to that provider's routes: only the browser that started
 * the sign-in can finish it, and every instance of the hall can check it without shared memory.
 */
export class SsoFlowCookie {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private name(provider: string): string {
    return `hall_sso_${provider}`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(`sso-flow.${body}`).digest('base64url');
  }

  private attributes(provider: string, maxAge: number): string {
    return `Path=/api/v1/auth/${provider}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${this.secure ? '; Secure' : ''}`;
  }

  /** The Set-Cookie value that carries the flow to the callback. */
  seal(provider: string, flow: SsoFlow, now: Date): string {
    const body = Buffer.from(
      JSON.stringify({ p: provider, exp: Math.floor(now.getTime() / 1000) + TTL_SECONDS, f: flow }),
    ).toString('base64url');
    return `${this.name(provider)}=${body}.${this.mac(body)}; ${this.attributes(provider, TTL_SECONDS)}`;
  }

  /** The Set-Cookie value that removes it once used. */
  clear(provider: string): string {
    return `${this.name(provider)}=; ${this.attributes(provider, 0)}`;
  }

  /** The flow this browser carries for that provider, or null when absent, forged or expired. */
  open(provider: string, cookieHeader: string | undefined, now: Date): SsoFlow | null {
    const raw = (cookieHeader ?? '')
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith(`${this.name(provider)}=`))
      ?.slice(this.name(provider).length + 1);
    const [body, mac] = (raw ?? '').split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
        p?: unknown;
        exp?: unknown;
        f?: unknown;
      };
      if (
        v.p !== provider ||
        typeof v.exp !== 'number' ||
        v.exp * 1000 < now.getTime() ||
        typeof v.f !== 'object' ||
        v.f === null
      )
        return null;
      return v.f as SsoFlow;
    } catch {
      return null;
    }
  }
}
