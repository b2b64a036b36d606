import { Flags } from '@oclif/core';
import type { RoleAssignment } from '../../../src/application/ports/policy-enforcer.port.js';
import { BaseCommand } from '../../base-command.js';

export const assignmentFlags = {
  subject: Flags.string({ description: 'staff id of the person', required: true }),
  role: Flags.string({
    description: 'role key, e.g. handler, unit-service-admin (服务事项管理员), it-office',
    required: true,
  }),
  unit: Flags.string({ description: "unit key, or '*' for a university-wide role", required: true }),
};

export default class PermGrant extends BaseCommand<typeof PermGrant> {
  static override summary = "Grant a role (授权) from a unit's filing (备案).";
  static override description =
    'Only active staff may hold roles (Art. 6); admin roles need a current training certification (Art. 17).';
  static override examples = [
    '<%= config.bin %> perm grant --operator T0002 --subject T0102 --role handler --unit academic-affairs',
  ];
  static override flags = assignmentFlags;

  async run(): Promise<RoleAssignment> {
    const { subject, role, unit } = this.flags;
    const granted = this.unwrap(
      await this.useCases.permissions.grant({ actor: await this.operator(), subject, role, unit }),
    );
    this.log(`granted ${granted.role} in ${granted.unit} to ${granted.subject}`);
    return granted;
  }
}
