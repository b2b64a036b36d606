import { expect } from 'chai';
import { JobsUseCase } from '../../../../src/application/jobs/jobs.use-case.js';
import { failure, value } from '../../../fixtures/result.js';
import { FakeJobAdmin } from '../../../fakes/fake-read-models.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

const it_ = ActorMother.of(cast.itOffice);

function setup() {
  const hall = hallWithCast();
  const jobAdmin = new FakeJobAdmin({
    'task-reminder': { created: 4, failed: 1 },
    'notification-email': { completed: 9, failed: 2 },
  });
  return { hall, jobAdmin, uc: new JobsUseCase({ ...hall, jobAdmin }) };
}

describe('JobsUseCase', () => {
  it('shows the IT Office each queue by state, as of now', async () => {
    const { hall, uc, jobAdmin } = setup();
    const figures = value(await uc.status(it_));
    expect(figures.map((q) => [q.queue, q.states.created, q.states.failed])).to.deep.equal([
      ['task-reminder', 4, 1],
      ['notification-email', 0, 2],
    ]);
    expect(jobAdmin.asked).to.deep.equal([hall.clock.now()]);
  });

  it('sends the failed jobs of a queue, or of all, round again, audited with how many', async () => {
    const { hall, uc } = setup();
    expect(value(await uc.retryFailed(it_, 'notification-email'))).to.deep.equal({ retried: 2 });
    expect(value(await uc.retryFailed(it_, null))).to.deep.equal({ retried: 1 });
    expect(hall.audit.map((e) => [e.action, e.entityType, e.entityId, e.after])).to.deep.equal([
      ['jobs.failed-retried', 'job-queue', 'notification-email', { retried: 2 }],
      ['jobs.failed-retried', 'job-queue', '*', { retried: 1 }],
    ]);
  });

  it('refuses an unknown queue, and anyone but the IT Office, retrying nothing', async () => {
    const { hall, uc, jobAdmin } = setup();
    const e = failure(await uc.retryFailed(it_, 'mystery'));
    expect(e.code).to.equal('JOBS.UNKNOWN_QUEUE');
    expect(failure(await uc.retryFailed(ActorMother.of(cast.auditor), null)).code).to.equal('AUTH.FORBIDDEN');
    expect(failure(await uc.status(ActorMother.of(cast.admin))).code).to.equal('AUTH.FORBIDDEN');
    expect([jobAdmin.queues.get('notification-email')!.states.failed, hall.audit.length]).to.deep.equal([2, 0]);
  });
});
