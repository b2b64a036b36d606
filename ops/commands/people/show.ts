import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export default class PeopleShow extends BaseCommand<typeof PeopleShow> {
  static override summary = 'Show a person: employment status, roles and training certifications.';
  static override args = { person: Args.string({ description: 'staff or student id', required: true }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(PeopleShow);
    const actor = await this.operator();
    const person = this.unwrap(await this.useCases.findPerson.execute({ personId: args.person }));
    if (!person) this.error(`no person '${args.person}'`, { exit: 2 });
    const { permissions } = this.useCases;
    const roles = this.unwrap(await permissions.list({ actor, subject: person.id })).items;
    const certifications = this.unwrap(await permissions.certificationsOf({ actor, personId: person.id })).items;
    this.log(`${person.id} ${person.name} (${person.type}, ${person.unit}) — ${person.status}`);
    for (const r of roles) this.log(`  role ${r.role} in ${r.unit}`);
    for (const c of certifications) this.log(`  certified ${c.course}, ${c.passedOn} to ${c.expiresOn}`);
    return { ...person, roles, certifications };
  }
}
