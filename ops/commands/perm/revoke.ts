import type { RoleAssignment } from '../../../src/application/ports/policy-enforcer.port.js';
import { BaseCommand } from '../../base-command.js';
import { assignmentFlags } from './grant.js';

export default class PermRevoke extends BaseCommand<typeof PermRevoke> {
  static override summary = 'Revoke a role (撤销授权); every API instance applies it within seconds.';
  static override examples = [
    '<%= config.bin %> perm revoke --operator T0002 --subject T0102 --role handler --unit academic-affairs',
  ];
  static override flags = assignmentFlags;

  async run(): Promise<RoleAssignment> {
    const { subject, role, unit } = this.flags;
    const revoked = this.unwrap(
      await this.useCases.permissions.revoke({ actor: await this.operator(), subject, role, unit }),
    );
    this.log(`revoked ${revoked.role} in ${revoked.unit} from ${revoked.subject}`);
    return revoked;
  }
}
