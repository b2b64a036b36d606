import { expect } from 'chai';
import { AuthenticateUseCase } from '../../../src/application/auth/authenticate.use-case.js';
import type { Session, SessionStore } from '../../../src/application/ports/session-store.port.js';
import { failure, value } from '../../fixtures/result.js';

const NOW = new Date('2026-11-27T02:00:00Z');

/** One live session, under the token 'good'; asked at which time. */
class FakeSessions implements SessionStore {
  asked: Array<{ token: string; at: Date }> = [];
  readonly session: Session = {
    id: 's1',
    personId: 'T0102',
    provider: 'local',
    expiresAt: new Date(NOW.getTime() + 3_600_000),
  };
  async resolve(token: string, at: Date) {
    this.asked.push({ token, at });
    return token === 'good' ? this.session : null;
  }
  async open(): Promise<never> {
    throw new Error('not used');
  }
  async end() {}
  async endByExternalRef() {
    return 0;
  }
}

describe('AuthenticateUseCase (fake sessions)', () => {
  const setup = () => {
    const sessions = new FakeSessions();
    return { sessions, uc: new AuthenticateUseCase({ sessions, clock: { now: () => NOW } }) };
  };

  it("a live session's token is its person, acting under the request", async () => {
    const { sessions, uc } = setup();
    expect(value(await uc.execute({ token: 'good', requestId: 'req-1' }))).to.deep.equal({
      actor: { personId: 'T0102', requestId: 'req-1' },
      sessionId: 's1',
    });
    expect(sessions.asked).to.deep.equal([{ token: 'good', at: NOW }]);
  });

  it('no token: sign in first, without asking the store', async () => {
    const { sessions, uc } = setup();
    const e = failure(await uc.execute({ token: undefined, requestId: 'r' }));
    expect(e.code).to.equal('AUTH.REQUIRED');
    expect(e.kind).to.equal('unauthenticated');
    expect(e.message).to.contain('sign in first');
    expect(sessions.asked).to.deep.equal([]);
  });

  it('a forged, expired or ended token: invalid or expired', async () => {
    const { uc } = setup();
    const e = failure(await uc.execute({ token: 'forged', requestId: 'r' }));
    expect(e.code).to.equal('AUTH.REQUIRED');
    expect(e.message).to.equal('the session token is invalid or has expired');
  });
});
