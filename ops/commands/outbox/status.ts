import type { OutboxStatus } from '../../../src/application/outbox/outbox.use-case.js';
import { BaseCommand } from '../../base-command.js';

export default class OutboxStatusCommand extends BaseCommand<typeof OutboxStatusCommand> {
  static override summary =
    'Show the outbox relay per sink: events not yet delivered (backlog), the age of the oldest (lag), and parked events.';
  static override description =
    'A growing lag means no instance relays (JOBS_WORKER) or the sink is down (see the last error); parked events the sink refused are listed with their reason and sent again with `hall outbox retry`.';

  async run(): Promise<OutboxStatus> {
    const status = this.unwrap(await this.useCases.outbox.status(await this.operator()));
    if (!status.sinks.length) this.log('no sink is configured (DATA_PLATFORM_URL)');
    for (const s of status.sinks) {
      this.log(
        `${s.sink}\tbacklog ${s.backlog}\tlag ${s.lagSeconds}s\tparked ${s.parked}\tdelivered ${s.delivered}\tlast delivered ${s.lastDeliveredAt ? s.lastDeliveredAt.toISOString() : '—'}${s.lastError ? `\tlast error ${s.lastErrorAt?.toISOString()}: ${s.lastError}` : ''}`,
      );
    }
    for (const p of status.parked) {
      this.log(
        `parked\t${p.sink}\t#${p.seq}\t${p.id}\t${p.topic}\t${p.aggregateType}/${p.aggregateId}\t${p.parkedAt.toISOString()}\t${p.reason}`,
      );
    }
    return status;
  }
}
