import { Flags } from '@oclif/core';
import type { CertificationRecord } from '../../../src/application/ports/role-assignments.port.js';
import { BaseCommand } from '../../base-command.js';

export default class TrainingList extends BaseCommand<typeof TrainingList> {
  static override summary = "List a person's training certifications, newest expiry first.";
  static override flags = { person: Flags.string({ description: 'staff id', required: true }) };

  async run(): Promise<{ items: CertificationRecord[] }> {
    const result = this.unwrap(
      await this.useCases.permissions.certificationsOf({ actor: await this.operator(), personId: this.flags.person }),
    );
    for (const c of result.items) this.log(`${c.course}\t${c.passedOn}\t${c.expiresOn}`);
    return result;
  }
}
