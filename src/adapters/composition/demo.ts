import type { Knex } from 'knex';
import path from 'node:path';
import type { Logger } from 'pino';
import { ScryptPasswordHasher } from '../driven/local-identity/password-hash.js';
import { seedOrganisation, seedServiceItems } from '../driving/seed/demo-seed.js';
import type { Container } from './container.js';
import { seedsDir } from './seeds-dir.js';

const catalogueFile = () => path.join(seedsDir(), 'demo-catalogue.json');

/** The demo organisation (units, people, local accounts, roles), before a container loads policy. */
export function seedDemoOrganisation(knex: Knex): Promise<void> {
  return seedOrganisation(knex, { passwords: new ScryptPasswordHasher(), catalogueFile: catalogueFile() });
}

/** The demo service items, through the real lifecycle of a container's use cases. */
export function seedDemoServiceItems(container: Container, logger: Logger): Promise<void> {
  return seedServiceItems(container.useCases, logger, {
    catalogueFile: catalogueFile(),
    connectors: container.ports.connectors.configured(),
  });
}
