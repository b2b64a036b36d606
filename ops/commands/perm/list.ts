import { Flags } from '@oclif/core';
import type { RoleAssignment } from '../../../src/application/ports/policy-enforcer.port.js';
import { BaseCommand } from '../../base-command.js';

export default class PermList extends BaseCommand<typeof PermList> {
  static override summary = 'List role assignments, optionally for one person, role or unit.';
  static override flags = {
    subject: Flags.string({ description: 'staff id' }),
    role: Flags.string({ description: 'role key' }),
    unit: Flags.string({ description: "unit key or '*'" }),
  };

  async run(): Promise<{ items: RoleAssignment[] }> {
    const { subject, role, unit } = this.flags;
    const result = this.unwrap(
      await this.useCases.permissions.list({ actor: await this.operator(), subject, role, unit }),
    );
    for (const a of result.items) this.log(`${a.subject}\t${a.role}\t${a.unit}`);
    return result;
  }
}
