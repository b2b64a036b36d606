import { Args, Flags } from '@oclif/core';
import type { SignIn } from '../../../src/application/ports/sign-ins.port.js';
import { BaseCommand } from '../../base-command.js';

export default class PeopleSignIns extends BaseCommand<typeof PeopleSignIns> {
  static override summary =
    "A person's sign-ins, newest first: when, how, from which address and with which client (Art. 19).";
  static override args = { person: Args.string({ description: 'staff or student number', required: true }) };
  static override flags = {
    since: Flags.string({ description: 'ISO 8601 date or instant; default 30 days ago' }),
    until: Flags.string({ description: 'ISO 8601 date or instant; default now' }),
    limit: Flags.integer({ description: 'at most this many', default: 100, min: 1, max: 500 }),
  };

  async run(): Promise<{ items: SignIn[] }> {
    const { args } = await this.parse(PeopleSignIns);
    const actor = await this.operator();
    const from = this.flags.since ? new Date(this.flags.since) : undefined;
    const to = this.flags.until ? new Date(this.flags.until) : undefined;
    for (const [flag, d] of [
      ['since', from],
      ['until', to],
    ] as const)
      if (d && Number.isNaN(d.getTime())) this.error(`--${flag}: not a date`, { exit: 2 });
    const r = this.unwrap(
      await this.useCases.signIns.ofPerson({ actor, personId: args.person, from, to, limit: this.flags.limit }),
    );
    for (const s of r.items)
      this.log(
        `${s.at}\t${s.provider}\t${s.ip ?? '-'}\t${s.endedAt ? `ended ${s.endedAt}` : `last seen ${s.lastSeenAt}`}\t${s.client ?? '-'}`,
      );
    if (!r.items.length) this.log('no sign-ins');
    return r;
  }
}
