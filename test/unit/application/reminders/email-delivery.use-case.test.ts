import { expect } from 'chai';
import { EmailDeliveryUseCase } from '../../../../src/application/reminders/email-delivery.use-case.js';
import type { StoredNotification } from '../../../fakes/in-memory-database.js';
import { cast, hallWithCast } from '../hall.scenario.js';

/** Two recorded notifications waiting for their e-mail: to someone with an address, and to someone without. */
function setup() {
  const hall = hallWithCast({ email: true });
  const notification = (id: string, recipientId: string): StoredNotification => ({
    id,
    recipientId,
    kind: 'urge',
    subject: '【催办】差旅费报销',
    body: '请尽快办理',
    applicationId: null,
    taskId: null,
    dedupeKey: id,
    at: hall.clock.now(),
    emailStatus: 'pending',
  });
  hall.db.state.notifications.push(notification('n-1', cast.handler.id), notification('n-2', cast.applicant.id));
  return {
    hall,
    uc: new EmailDeliveryUseCase(hall),
    status: (id: string) => hall.db.state.notifications.find((n) => n.id === id)!.emailStatus,
  };
}

describe('EmailDeliveryUseCase', () => {
  it('sends the e-mail of a notification once, and marks it sent', async () => {
    const { hall, uc, status } = setup();
    expect(await uc.deliver('n-1')).to.equal('sent');
    expect(hall.emailSender.sent).to.deep.equal([
      { to: cast.handler.email, subject: '【催办】差旅费报销', text: '请尽快办理' },
    ]);
    expect(status('n-1')).to.equal('sent');
    expect(await uc.deliver('n-1'), 'a retried job').to.equal('nothing-to-do');
    expect(hall.emailSender.sent).to.have.length(1);
  });

  it('marks a notification to someone without an address, sending nothing', async () => {
    const { hall, uc, status } = setup();
    expect(await uc.deliver('n-2')).to.equal('no-address');
    expect([hall.emailSender.sent, status('n-2')]).to.deep.equal([[], 'no-address']);
  });

  it('lets a refused send fail the job, so it is retried, leaving the notification pending', async () => {
    const { hall, uc, status } = setup();
    hall.emailSender.failure = new Error('421 try again later');
    let thrown: unknown;
    try {
      await uc.deliver('n-1');
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).to.equal('421 try again later');
    expect(status('n-1')).to.equal('pending');
  });

  it('does nothing without SMTP configured, or for an unknown notification', async () => {
    const { hall, status } = setup();
    expect(await new EmailDeliveryUseCase({ ...hall, emailSender: null }).deliver('n-1')).to.equal('nothing-to-do');
    expect(await new EmailDeliveryUseCase(hall).deliver('unknown')).to.equal('nothing-to-do');
    expect(status('n-1')).to.equal('pending');
  });
});
