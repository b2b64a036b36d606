import type { Session, SessionStore } from '../../../application/ports/session-store.port.js';
import { ACTIVITY_WRITE_MS, type VerifiedSession } from './signed-token-session-store.js';

/** The store a cache sits in front of: it verifies tokens against the database and records activity. */
export interface VerifyingSessionStore extends SessionStore {
  verify(token: string, at: Date): Promise<VerifiedSession | null>;
  revoke(by: { id: string } | { externalRef: string }, at: Date): Promise<string[]>;
}

export interface SessionCacheOptions {
  /** How long a verified session is trusted without asking the database again. */
  ttlSeconds: number;
  /** SESSION_IDLE_MINUTES: a copy idle this long is checked with the database, which may know of newer activity. */
  idleMinutes: number;
  /** Least recently used sessions are dropped beyond this many. */
  maxEntries?: number;
}

interface Entry {
  token: string;
  session: Session;
  lastSeenAt: number;
  verifiedAt: number;
}

/**
 * This instance's memory of recently verified sessions, so that a request with a live session makes
 * no query. The rules are the database's, applied to the copy:
 * - the absolute lifetime ends a copy at `expiresAt`, exactly;
 * - a copy whose recorded activity is older than a minute goes back to the store, which checks the
 *   session and writes `last_seen_at` (so activity is still written at most once a minute), and a
 *   copy that looks idle goes back too, since another instance may have seen activity since;
 * - a copy older than `ttlSeconds` goes back, whatever else: a bound on anything not announced.
 * Sessions ended early (logout, single logout, offboarding) are announced by NOTIFY and forgotten
 * by `forget`. Caching is on only while that announcement can be heard: `resume()` when the
 * listener listens, `suspend()` when its connection is lost; both forget everything.
 * Times are the `at` of each call (the hall's clock), like the store's.
 */
export class CachedSessionStore implements SessionStore {
  /** By token, least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private readonly tokens = new Map<string, string>();
  /** Bumped by every forgetting: a verification that overlapped one is not kept. */
  private epoch = 0;
  private active = false;
  private readonly ttlMs: number;
  private readonly idleMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly inner: VerifyingSessionStore,
    o: SessionCacheOptions,
  ) {
    this.ttlMs = o.ttlSeconds * 1000;
    this.idleMs = o.idleMinutes * 60_000;
    this.maxEntries = o.maxEntries ?? 10_000;
  }

  async open(o: {
    personId: string;
    provider: string;
    at: Date;
    externalRef?: string;
    ip?: string;
    client?: string;
  }): Promise<{ token: string; session: Session }> {
    const opened = await this.inner.open(o);
    if (this.active) this.remember(opened.token, { session: opened.session, lastSeenAt: o.at }, o.at);
    return opened;
  }

  async resolve(token: string, at: Date): Promise<Session | null> {
    const now = at.getTime();
    const hit = this.entries.get(token);
    if (hit) {
      if (now >= hit.session.expiresAt.getTime()) {
        this.drop(hit.session.id);
        return null;
      }
      const sinceActivity = now - hit.lastSeenAt;
      const age = now - hit.verifiedAt;
      if (age >= 0 && age < this.ttlMs && sinceActivity <= ACTIVITY_WRITE_MS && sinceActivity < this.idleMs) {
        this.entries.delete(token);
        this.entries.set(token, hit);
        return hit.session;
      }
      this.drop(hit.session.id);
    }
    const epoch = this.epoch;
    const verified = await this.inner.verify(token, at);
    if (!verified) return null;
    if (this.active && epoch === this.epoch) this.remember(token, verified, at);
    return verified.session;
  }

  // Sessions ended here are forgotten here at once; their NOTIFY tells the other instances (and,
  // a moment later, this one again).
  async end(sessionId: string, at: Date): Promise<void> {
    await this.inner.revoke({ id: sessionId }, at);
    this.forget(sessionId);
  }

  async endByExternalRef(externalRef: string, at: Date): Promise<number> {
    const ended = await this.inner.revoke({ externalRef }, at);
    for (const id of ended) this.forget(id);
    return ended.length;
  }

  /** A session ended elsewhere (or here): its copy goes, and so does any verification under way. */
  forget(sessionId: string): void {
    this.epoch++;
    this.drop(sessionId);
  }

  /** Ended sessions are heard of again: start caching afresh. */
  resume(): void {
    this.clear();
    this.active = true;
  }

  /** Ended sessions can no longer be heard of: forget everything and ask the database until `resume()`. */
  suspend(): void {
    this.active = false;
    this.clear();
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.tokens.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(sessionId: string): void {
    const token = this.tokens.get(sessionId);
    if (token === undefined) return;
    this.tokens.delete(sessionId);
    this.entries.delete(token);
  }

  private remember(token: string, v: VerifiedSession, at: Date): void {
    this.entries.delete(token);
    this.entries.set(token, {
      token,
      session: v.session,
      lastSeenAt: v.lastSeenAt.getTime(),
      verifiedAt: at.getTime(),
    });
    this.tokens.set(v.session.id, token);
    while (this.entries.size > this.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      this.tokens.delete(entry.session.id);
    }
  }
}
