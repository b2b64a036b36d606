import { KnexReadTrail } from '../../src/adapters/driven/knex/knex-read-trail.js';
import { InMemoryReadTrail } from '../fakes/in-memory-read-trail.js';
import { readTrailContract } from './read-trail.contract.js';
import { fakeSide, realSide } from './sides.js';

readTrailContract('InMemoryReadTrail', async () => ({ ...fakeSide(), trail: new InMemoryReadTrail() }));

readTrailContract('KnexReadTrail (real PostgreSQL)', async () => {
  const side = await realSide();
  const trail = new KnexReadTrail(side.knex, { flushMs: 60_000 });
  return {
    ...side,
    trail,
    close: async () => {
      await trail.close();
      await side.close();
    },
  };
});
