import type { QueueFigures } from '../../../src/application/ports/job-admin.port.js';
import { BaseCommand } from '../../base-command.js';

export default class JobsStatus extends BaseCommand<typeof JobsStatus> {
  static override summary =
    'Show the durable job queues: reminder timers (提醒) and e-mails, by state, and the oldest job due but not taken.';
  static override description =
    'A growing "oldest due" means no instance is working jobs (JOBS_WORKER); failed jobs can be sent round again with `hall jobs retry`.';

  async run(): Promise<{ queues: QueueFigures[] }> {
    const queues = this.unwrap(await this.useCases.jobs.status(await this.operator()));
    for (const q of queues) {
      const s = q.states;
      this.log(
        `${q.queue}\twaiting ${s.created + s.retry}\tactive ${s.active}\tfailed ${s.failed}\tcompleted ${s.completed}\tcancelled ${s.cancelled}\toldest due ${q.oldestDue ? q.oldestDue.toISOString() : '—'}`,
      );
    }
    return { queues };
  }
}
