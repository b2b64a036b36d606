import { KnexHandlerLists } from '../../src/adapters/driven/knex/knex-handler-lists.js';
import { InMemoryHandlerLists } from '../fakes/in-memory-handler-lists.js';
import { handlerListsContract } from './handler-lists.contract.js';
import { fakeSide, realSide } from './sides.js';

handlerListsContract('InMemoryHandlerLists', async () => {
  const side = fakeSide();
  return { ...side, lists: new InMemoryHandlerLists(side.db) };
});

handlerListsContract('KnexHandlerLists (real PostgreSQL)', async () => {
  const side = await realSide();
  return { ...side, lists: new KnexHandlerLists(side.knex) };
});
