import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export default class OutboxReplay extends BaseCommand<typeof OutboxReplay> {
  static override summary = 'Send a sink every outbox event since a time again (a platform that lost data).';
  static override description =
    'The sink gets the events again with the ids it had (it de-duplicates on them), in order per aggregate; only events still kept (OUTBOX_RETENTION_DAYS) can be sent.';
  static override flags = {
    sink: Flags.string({ description: 'the sink (e.g. data-platform)', required: true }),
    since: Flags.string({ description: 'ISO 8601 date or date-time, e.g. 2026-11-20T08:00:00Z', required: true }),
  };

  async run(): Promise<{ events: number }> {
    const result = this.unwrap(
      await this.useCases.outbox.replay(await this.operator(), { sink: this.flags.sink, since: this.flags.since }),
    );
    this.log(`${result.events} event${result.events === 1 ? '' : 's'} will be sent to ${this.flags.sink} again`);
    return result;
  }
}
