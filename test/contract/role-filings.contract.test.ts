import { roleFilingsContract } from './role-filings.contract.js';
import { fakeSide, realSide } from './sides.js';

roleFilingsContract('InMemoryRoleFilings, InMemoryRoleAssignments', async () => {
  const side = fakeSide();
  return {
    ...side,
    seedPeople: async (...people) => {
      for (const p of people) side.db.state.people.set(p.id, structuredClone(p));
    },
  };
});
roleFilingsContract('KnexRoleFilings, KnexRoleAssignments (real PostgreSQL)', async () => {
  const side = await realSide();
  return {
    ...side,
    seedPeople: async (...people) => {
      await side.knex('people').insert(
        people.map((p) => ({
          id: p.id,
          name: p.name,
          type: p.type,
          unit_key: p.unit,
          status: p.status,
          email: p.email,
        })),
      );
    },
  };
});
