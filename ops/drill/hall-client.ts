/**
 * The drill's view of the hall: HTTP calls as a portal makes them, each bounded by a timeout and
 * recorded (what, when, the status or the network failure, how long), so a report can say how the
 * hall answered during a fault and whether any request hung.
 */
export interface Call {
  at: number;
  op: string;
  /** The HTTP status, or how the call failed: 'timeout' or 'network'. */
  status: number | 'timeout' | 'network';
  ms: number;
  retryAfter?: string;
  /** A server error's problem code and request id, to find it in the hall's log. */
  problem?: string;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export class CallFailed extends Error {
  constructor(
    readonly op: string,
    readonly outcome: number | 'timeout' | 'network',
    detail: string,
  ) {
    super(`${op}: ${outcome} ${detail}`.trim());
  }
}

export const DEMO_PASSWORD_ENV = 'DRILL_DEMO_PASSWORD';

export class HallClient {
  readonly calls: Call[] = [];
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly password: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** One request; any answer is returned (and recorded), a timeout or network failure throws CallFailed. */
  async request(
    op: string,
    method: string,
    path: string,
    o: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const t0 = performance.now();
    const record = (status: Call['status'], retryAfter?: string) =>
      this.calls.push({ at: Date.now(), op, status, ms: Math.round(performance.now() - t0), retryAfter });
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...o.headers,
        },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      record(timeout ? 'timeout' : 'network');
      throw new CallFailed(op, timeout ? 'timeout' : 'network', e instanceof Error ? e.message : '');
    }
    let body: Record<string, unknown> = {};
    try {
      const text = await res.text();
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch (e) {
      if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
        record('timeout');
        throw new CallFailed(op, 'timeout', 'while reading the body');
      }
      // not JSON: the status says enough
    }
    record(res.status, res.headers.get('retry-after') ?? undefined);
    if (res.status >= 500)
      this.calls.at(-1)!.problem = `${String(body.code ?? '')} ${String(body.requestId ?? '')}`.trim();
    return { status: res.status, body, headers: res.headers };
  }

  /** A demo account's session token (signed in once, again when the hall no longer knows it). */
  async token(username: string, fresh = false): Promise<string> {
    const known = this.tokens.get(username);
    if (known && !fresh) return known;
    const r = await this.request('login', 'POST', '/api/v1/auth/login', {
      body: { username, password: this.password },
    });
    if (r.status !== 200) throw new CallFailed('login', r.status, JSON.stringify(r.body));
    const token = String(r.body.token);
    this.tokens.set(username, token);
    return token;
  }

  /** A call as a demo account; a 401 (the session was lost) signs in again once. */
  async as(
    username: string,
    op: string,
    method: string,
    path: string,
    o: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    let r = await this.request(op, method, path, { ...o, token: await this.token(username) });
    if (r.status === 401) r = await this.request(op, method, path, { ...o, token: await this.token(username, true) });
    return r;
  }

  async ready(): Promise<{ ready: boolean; body: Record<string, unknown> }> {
    try {
      const r = await this.request('readyz', 'GET', '/readyz');
      return { ready: r.status === 200, body: r.body };
    } catch {
      return { ready: false, body: {} };
    }
  }
}
