import { expect } from 'chai';
import { LogoutUseCase } from '../../../../src/application/auth/logout.use-case.js';
import { value } from '../../../fixtures/result.js';
import { cast, hallWithCast } from '../hall.scenario.js';

describe('LogoutUseCase', () => {
  it('ends the session at once: its token no longer resolves, other sessions stay', async () => {
    const hall = hallWithCast();
    const mine = await hall.sessions.open({ personId: cast.handler.id, provider: 'local', at: hall.clock.now() });
    const other = await hall.sessions.open({ personId: cast.handler.id, provider: 'local', at: hall.clock.now() });
    value(await new LogoutUseCase(hall).execute({ sessionId: mine.session.id }));
    expect(await hall.sessions.resolve(mine.token, hall.clock.now())).to.equal(null);
    expect((await hall.sessions.resolve(other.token, hall.clock.now()))?.id).to.equal(other.session.id);
    expect(hall.db.state.sessions.find((s) => s.id === mine.session.id)!.endedAt).to.deep.equal(hall.clock.now());
  });
});
