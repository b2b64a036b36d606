import { Flags } from '@oclif/core';
import type { DataRead } from '../../../src/application/ports/read-trail.port.js';
import type { Page } from '../../../src/application/ports/service-item.repository.port.js';
import { BaseCommand } from '../../base-command.js';

/** Who read a person's data (forms, attachments, printouts of their applications), newest first. */
export default class AuditReads extends BaseCommand<typeof AuditReads> {
  static override summary =
    "Who read a person's data: their applications' forms, attachments and printouts, newest first.";
  static override flags = {
    person: Flags.string({ description: 'the person whose data was read (student or staff id)', required: true }),
    limit: Flags.integer({ description: 'reads per page', default: 200, min: 1, max: 1000 }),
    cursor: Flags.string({ description: 'the nextCursor of the previous page' }),
  };

  async run(): Promise<Page<DataRead & { id: string }>> {
    const { person, limit, cursor } = this.flags;
    const page = this.unwrap(
      await this.useCases.listDataReads.execute({ actor: await this.operator(), personId: person, limit, cursor }),
    );
    for (const r of page.items) {
      this.log(`${r.at.toISOString()}\t${r.readerId}\t${r.what}\t${r.applicationId}${r.detail ? `\t${r.detail}` : ''}`);
    }
    if (page.nextCursor) this.log(`more: --cursor ${page.nextCursor}`);
    return page;
  }
}
