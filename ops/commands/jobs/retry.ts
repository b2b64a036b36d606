import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export default class JobsRetry extends BaseCommand<typeof JobsRetry> {
  static override summary =
    'Send failed jobs round again (e.g. e-mails the SMTP server refused for longer than the retries lasted).';
  static override flags = {
    queue: Flags.string({ description: 'only this queue: task-reminder, notification-email or connector-call' }),
  };

  async run(): Promise<{ retried: number }> {
    const result = this.unwrap(await this.useCases.jobs.retryFailed(await this.operator(), this.flags.queue ?? null));
    this.log(`retried ${result.retried} failed job${result.retried === 1 ? '' : 's'}`);
    return result;
  }
}
