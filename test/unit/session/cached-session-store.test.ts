import { expect } from 'chai';
import type { Session } from '../../../src/application/ports/session-store.port.js';
import {
  CachedSessionStore,
  type VerifyingSessionStore,
} from '../../../src/adapters/driven/session/cached-session-store.js';
import type { VerifiedSession } from '../../../src/adapters/driven/session/signed-token-session-store.js';

/** A hand-written fake of the store with the same rules (60 min lifetime, idle timeout, activity written once a minute). */
class FakeStore implements VerifyingSessionStore {
  readonly rows = new Map<string, { session: Session; lastSeenAt: Date; revoked: boolean; ref?: string }>();
  verifications = 0;
  /** When set, verify() waits for it after reading, as a slow database would. */
  gate: Promise<void> | undefined;

  constructor(private readonly idleMinutes = 30) {}

  async open(o: { personId: string; provider: string; at: Date; externalRef?: string }) {
    const id = `s-${this.rows.size + 1}`;
    const session = {
      id,
      personId: o.personId,
      provider: o.provider,
      expiresAt: new Date(o.at.getTime() + 60 * 60_000),
    };
    this.rows.set(id, { session, lastSeenAt: o.at, revoked: false, ref: o.externalRef });
    return { token: `${id}.mac`, session };
  }

  async verify(token: string, at: Date): Promise<VerifiedSession | null> {
    this.verifications++;
    const row = this.rows.get(token.split('.')[0]!);
    const live =
      row &&
      !row.revoked &&
      at < row.session.expiresAt &&
      at.getTime() - row.lastSeenAt.getTime() < this.idleMinutes * 60_000;
    const snapshot = live
      ? { session: row.session, lastSeenAt: at.getTime() - row.lastSeenAt.getTime() > 60_000 ? at : row.lastSeenAt }
      : null;
    if (snapshot) row!.lastSeenAt = snapshot.lastSeenAt;
    await this.gate;
    return snapshot;
  }

  async resolve(token: string, at: Date) {
    return (await this.verify(token, at))?.session ?? null;
  }
  async revoke(by: { id: string } | { externalRef: string }): Promise<string[]> {
    const ended = [...this.rows.values()].filter(
      (r) => !r.revoked && ('id' in by ? r.session.id === by.id : r.ref === by.externalRef),
    );
    for (const r of ended) r.revoked = true;
    return ended.map((r) => r.session.id);
  }
  async end(id: string) {
    await this.revoke({ id });
  }
  async endByExternalRef(ref: string) {
    return (await this.revoke({ externalRef: ref })).length;
  }
}

const T = new Date('2026-11-27T02:00:00Z');
const plus = (seconds: number) => new Date(T.getTime() + seconds * 1000);

describe('CachedSessionStore (rules applied to the copy)', () => {
  let inner: FakeStore;
  let cache: CachedSessionStore;
  beforeEach(() => {
    inner = new FakeStore();
    cache = new CachedSessionStore(inner, { ttlSeconds: 300, idleMinutes: 30, maxEntries: 3 });
    cache.resume();
  });

  it('a session opened or verified here is answered from memory until its activity is a minute old', async () => {
    const { token } = await cache.open({ personId: 'T0101', provider: 'local', at: T });
    for (const s of [1, 30, 60]) expect((await cache.resolve(token, plus(s)))?.personId).to.equal('T0101');
    expect(inner.verifications).to.equal(0);
    await cache.resolve(token, plus(61));
    expect(inner.verifications, 'activity due: the store checks and records it').to.equal(1);
    expect(inner.rows.get('s-1')!.lastSeenAt).to.deep.equal(plus(61));
    await cache.resolve(token, plus(120));
    expect(inner.verifications).to.equal(1);
  });

  it('the absolute lifetime ends a copy exactly, without asking', async () => {
    const { token } = await cache.open({ personId: 'T0101', provider: 'local', at: T });
    for (const s of [1500, 3000, 3590]) expect(await cache.resolve(token, plus(s))).to.not.equal(null); // activity recorded each time
    const before = inner.verifications;
    expect(await cache.resolve(token, plus(3599))).to.not.equal(null);
    expect(await cache.resolve(token, plus(3600))).to.equal(null);
    expect(inner.verifications).to.equal(before);
  });

  it('a copy older than the cache lifetime is checked again', async () => {
    const short = new CachedSessionStore(inner, { ttlSeconds: 10, idleMinutes: 30 });
    short.resume();
    const { token } = await short.open({ personId: 'T0101', provider: 'local', at: T });
    await short.resolve(token, plus(9));
    expect(inner.verifications).to.equal(0);
    await short.resolve(token, plus(10));
    expect(inner.verifications).to.equal(1);
  });

  it('with a one-minute idle timeout a copy unused for exactly a minute is idle, as in the database', async () => {
    const store = new FakeStore(1);
    const oneMinute = new CachedSessionStore(store, { ttlSeconds: 300, idleMinutes: 1 });
    oneMinute.resume();
    const { token } = await oneMinute.open({ personId: 'T0101', provider: 'local', at: T });
    expect(await oneMinute.resolve(token, new Date(T.getTime() + 59_999))).to.not.equal(null);
    expect(store.verifications).to.equal(0);
    expect(await oneMinute.resolve(token, plus(60))).to.equal(null);
    expect(store.verifications).to.equal(1);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push((await inner.open({ personId: `P${i}`, provider: 'local', at: T })).token);
    for (const t of tokens.slice(0, 3)) await cache.resolve(t, T);
    await cache.resolve(tokens[0]!, T); // 0 is now the most recently used
    await cache.resolve(tokens[3]!, T); // 1 goes
    expect(cache.size).to.equal(3);
    inner.verifications = 0;
    for (const t of [tokens[0]!, tokens[2]!, tokens[3]!]) await cache.resolve(t, T);
    expect(inner.verifications).to.equal(0);
    await cache.resolve(tokens[1]!, T);
    expect(inner.verifications).to.equal(1);
  });

  it('forgets a session announced as ended, and does not keep a verification that overlapped the announcement', async () => {
    const { token, session } = await inner.open({ personId: 'T0101', provider: 'local', at: T });
    await cache.resolve(token, T);
    cache.forget(session.id);
    expect(cache.size).to.equal(0);

    let release!: () => void;
    inner.gate = new Promise((r) => {
      release = r;
    });
    const pending = cache.resolve(token, plus(1)); // read: live
    await inner.revoke({ id: session.id }); // ended elsewhere meanwhile...
    cache.forget(session.id); // ...and announced before the read returned
    release();
    expect(await pending, 'the request in flight still got its answer').to.not.equal(null);
    inner.gate = undefined;
    expect(cache.size, 'but it was not kept').to.equal(0);
    expect(await cache.resolve(token, plus(2))).to.equal(null);
  });

  it('logout and single logout here forget at once', async () => {
    const a = await cache.open({ personId: 'T0101', provider: 'local', at: T });
    const b = await cache.open({ personId: 'T0101', provider: 'cas', at: T, externalRef: 'ST-9' });
    await cache.end(a.session.id, T);
    expect(await cache.endByExternalRef('ST-9', T)).to.equal(1);
    expect(cache.size).to.equal(0);
    expect(await cache.resolve(a.token, plus(1))).to.equal(null);
    expect(await cache.resolve(b.token, plus(1))).to.equal(null);
  });

  it('while suspended (ended sessions cannot be heard of) every request asks the store; resuming starts afresh', async () => {
    const { token } = await cache.open({ personId: 'T0101', provider: 'local', at: T });
    cache.suspend();
    expect(cache.size).to.equal(0);
    for (const s of [1, 2]) await cache.resolve(token, plus(s));
    expect(inner.verifications).to.equal(2);
    expect(cache.size).to.equal(0);
    cache.resume();
    await cache.resolve(token, plus(3));
    await cache.resolve(token, plus(4));
    expect(inner.verifications).to.equal(3);
  });
});
