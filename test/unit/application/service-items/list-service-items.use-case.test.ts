import { expect } from 'chai';
import { ListServiceItemsUseCase } from '../../../../src/application/service-items/list-service-items.use-case.js';
import { value } from '../../../fixtures/result.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { ServiceItemMother } from '../../../mothers/service-item.mother.js';
import { cast, hallWithCast } from '../hall.scenario.js';

/** Items of three units in several states; academic affairs is involved in finance's pending one. */
function setup() {
  const hall = hallWithCast();
  const items = {
    finance: ServiceItemMother.building({ code: 'CW-A' }),
    financeShared: ServiceItemMother.pending({ code: 'CW-B', involvedUnits: ['finance', 'academic-affairs'] }),
    academic: ServiceItemMother.rejected({
      code: 'JW-A',
      owningUnit: 'academic-affairs',
      involvedUnits: ['academic-affairs'],
    }),
    logistics: ServiceItemMother.building({ code: 'HQ-A', owningUnit: 'logistics', involvedUnits: ['logistics'] }),
  };
  for (const i of Object.values(items)) hall.seed.item(i);
  return { hall, items, uc: new ListServiceItemsUseCase(hall) };
}

const codes = async (
  uc: ListServiceItemsUseCase,
  who: { id: string },
  o: { states?: Array<'building' | 'onboarding_pending'>; limit?: number; cursor?: string } = {},
) =>
  value(await uc.execute({ actor: ActorMother.of(who.id), limit: o.limit ?? 10, states: o.states, cursor: o.cursor }));

describe('ListServiceItemsUseCase', () => {
  it('shows the global offices and auditors every item, in code order, filtered by state', async () => {
    const { uc } = setup();
    expect((await codes(uc, cast.auditor)).items.map((i) => i.code)).to.deep.equal(['CW-A', 'CW-B', 'HQ-A', 'JW-A']);
    expect((await codes(uc, cast.presidentOffice, { states: ['building'] })).items.map((i) => i.code)).to.deep.equal([
      'CW-A',
      'HQ-A',
    ]);
  });

  it("shows a unit's service admin the items their units own or are involved in", async () => {
    const { uc } = setup();
    expect((await codes(uc, cast.admin)).items.map((i) => i.code)).to.deep.equal(['CW-A', 'CW-B']);
    expect((await codes(uc, cast.aaAdmin)).items.map((i) => i.code)).to.deep.equal(['CW-B', 'JW-A']);
  });

  it('shows nothing to people whose roles do not read service items', async () => {
    const { uc } = setup();
    expect((await codes(uc, cast.handler)).items).to.deep.equal([]);
    expect((await codes(uc, cast.applicant)).items).to.deep.equal([]);
  });

  it('pages on with the cursor of the page before', async () => {
    const { uc } = setup();
    const first = await codes(uc, cast.auditor, { limit: 3 });
    const rest = await codes(uc, cast.auditor, { limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...rest.items].map((i) => i.code)).to.deep.equal(['CW-A', 'CW-B', 'HQ-A', 'JW-A']);
    expect(rest.nextCursor).to.equal(null);
  });
});
