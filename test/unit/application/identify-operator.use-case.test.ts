import { expect } from 'chai';
import { IdentifyOperatorUseCase } from '../../../src/application/people/identify-operator.use-case.js';
import type { Organisation, Person } from '../../../src/application/ports/organisation.port.js';
import { failure, value } from '../../fixtures/result.js';

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

describe('IdentifyOperatorUseCase (fake organisation)', () => {
  const uc = new IdentifyOperatorUseCase({ organisation });

  it('active staff act under the request the CLI gave', async () => {
    expect(value(await uc.execute({ personId: 'T0002', requestId: 'cli-1' }))).to.deep.equal({
      personId: 'T0002',
      requestId: 'cli-1',
    });
  });

  for (const [id, why] of [
    ['T0901', 'retired'],
    ['2024110101', 'a student'],
    ['nobody', 'unknown'],
  ] as const) {
    it(`refuses an operator who is ${why}, saying who`, async () => {
      const e = failure(await uc.execute({ personId: id, requestId: 'cli-1' }));
      expect(e.kind).to.equal('unauthenticated');
      expect(e.message).to.equal(`operator '${id}' is not active staff in the directory`);
    });
  }
});
