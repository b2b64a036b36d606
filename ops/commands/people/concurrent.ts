import { Flags } from '@oclif/core';
import type { ConcurrentUse } from '../../../src/application/ports/sign-ins.port.js';
import { BaseCommand } from '../../base-command.js';

export default class PeopleConcurrent extends BaseCommand<typeof PeopleConcurrent> {
  static override summary =
    'Accounts in use at the same time from different addresses: a sign of a shared or stolen account (Art. 19).';
  static override flags = {
    since: Flags.string({ description: 'sessions opened since (ISO 8601); default 30 days ago' }),
    until: Flags.string({ description: 'ISO 8601 date or instant; default now' }),
    limit: Flags.integer({ description: 'at most this many pairs', default: 100, min: 1, max: 500 }),
  };

  async run(): Promise<{ items: ConcurrentUse[] }> {
    const actor = await this.operator();
    const from = this.flags.since ? new Date(this.flags.since) : undefined;
    const to = this.flags.until ? new Date(this.flags.until) : undefined;
    for (const [flag, d] of [
      ['since', from],
      ['until', to],
    ] as const)
      if (d && Number.isNaN(d.getTime())) this.error(`--${flag}: not a date`, { exit: 2 });
    const r = this.unwrap(await this.useCases.signIns.concurrent({ actor, from, to, limit: this.flags.limit }));
    for (const p of r.items)
      this.log(
        `${p.personId}\t${p.first.ip} (${p.first.at} .. ${p.first.lastSeenAt})\t${p.second.ip} (${p.second.at} .. ${p.second.lastSeenAt})`,
      );
    if (!r.items.length) this.log('no account in use from two addresses at once');
    return r;
  }
}
