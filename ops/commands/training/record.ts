import { Flags } from '@oclif/core';
import type { CertificationRecord } from '../../../src/application/ports/role-assignments.port.js';
import { BaseCommand } from '../../base-command.js';

const date = Flags.custom<string>({
  parse: async (v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error('use YYYY-MM-DD');
    return v;
  },
});

export default class TrainingRecord extends BaseCommand<typeof TrainingRecord> {
  static override summary = 'Record a passed training course (培训认证, Art. 17): admin roles need a current one.';
  static override examples = [
    '<%= config.bin %> training record --operator T0002 --person T0900 --course 服务事项管理员培训 --passed 2026-10-01 --expires 2027-09-30',
  ];
  static override flags = {
    person: Flags.string({ description: 'staff id', required: true }),
    course: Flags.string({ description: 'course name', required: true }),
    passed: date({ description: 'date passed (YYYY-MM-DD)', required: true }),
    expires: date({ description: 'date it expires (YYYY-MM-DD)', required: true }),
  };

  async run(): Promise<CertificationRecord> {
    const { person, course, passed, expires } = this.flags;
    const c = this.unwrap(
      await this.useCases.permissions.recordCertification({
        actor: await this.operator(),
        personId: person,
        course,
        passedOn: passed,
        expiresOn: expires,
      }),
    );
    this.log(`recorded ${c.course} for ${c.personId}, valid ${c.passedOn} to ${c.expiresOn}`);
    return c;
  }
}
