import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export default class OutboxRetry extends BaseCommand<typeof OutboxRetry> {
  static override summary = 'Send parked outbox events again (in order), e.g. after the data platform was fixed.';
  static override flags = {
    sink: Flags.string({ description: 'only this sink (e.g. data-platform)' }),
  };

  async run(): Promise<{ retried: number }> {
    const result = this.unwrap(await this.useCases.outbox.retry(await this.operator(), this.flags.sink ?? null));
    this.log(`${result.retried} parked event${result.retried === 1 ? '' : 's'} will be sent again`);
    return result;
  }
}
