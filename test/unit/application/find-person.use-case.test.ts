import { expect } from 'chai';
import { FindPersonUseCase } from '../../../src/application/people/find-person.use-case.js';
import type { Organisation, Person } from '../../../src/application/ports/organisation.port.js';
import { value } from '../../fixtures/result.js';

const person = (id: string, type: Person['type'], status: Person['status']): Person => ({
  id,
  name: id,
  type,
  unit: 'finance',
  status,
  email: null,
});
const people = [
  person('T0002', 'staff', 'active'),
  person('T0901', 'staff', 'retired'),
  person('2024110101', 'student', 'active'),
];
const organisation = {
  person: async (id: string) => people.find((p) => p.id === id) ?? null,
} as unknown as Organisation;

describe('FindPersonUseCase (fake organisation)', () => {
  const uc = new FindPersonUseCase({ organisation });

  it('is the person in any status, or null', async () => {
    expect(value(await uc.execute({ personId: 'T0901' }))).to.deep.equal(people[1]);
    expect(value(await uc.execute({ personId: 'nobody' }))).to.equal(null);
  });
});
