import { serviceItemRepositoriesContract } from './service-item-repositories.contract.js';
import { fakeSide, realSide } from './sides.js';

serviceItemRepositoriesContract('InMemoryServiceItemRepository, InMemoryServiceVersionRepository', async () =>
  fakeSide(),
);
serviceItemRepositoriesContract('KnexServiceItemRepository, KnexServiceVersionRepository (real PostgreSQL)', () =>
  realSide(),
);
