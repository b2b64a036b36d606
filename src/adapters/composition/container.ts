import 'reflect-metadata';
import { Container } from 'inversify';
import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import type { Config } from '../../config.js';
import { CasbinPolicyEnforcer } from '../driven/casbin/casbin-policy-enforcer.js';
import { createKnex } from '../driven/knex/knex-database.js';
import { authModule } from './auth.container-module.js';
import { databaseModule } from './database.container-module.js';
import { CONFIG, KNEX, LOGGER, POLICY_WATCHER } from './tokens.js';
import { PgPolicyWatcher } from '../driven/casbin/pg-policy-watcher.js';
import { BUSINESS_CONNECTORS } from '../../application/ports/business-connectors.port.js';
import { useCasesModule } from './use-cases.container-module.js';

export interface ResolvedConfig extends Config {
  databaseUrl: string;
  sessionSecret: string;
}

/**
 * The one composition root, used by the API process, the CLI and the tests. `overrides` may rebind
 * anything after the production bindings (tests replace a port with a fake this way).
 */
export async function buildContainer(config: ResolvedConfig, overrides?: (c: Container) => void, logger?: Logger): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  const knex = createKnex(config.databaseUrl, config.dbPoolMax);
  try {
    const enforcer = await CasbinPolicyEnforcer.create(knex);
    const log = logger ?? pino({ level: config.logLevel });
    // policy changes committed by any instance reach this one's enforcer
    const watcher = new PgPolicyWatcher(config.databaseUrl, () => enforcer.reload(), log);
    await watcher.start();
    container.bind(POLICY_WATCHER).toConstantValue(watcher);
    container.bind(CONFIG).toConstantValue(config);
    container.bind(LOGGER).toConstantValue(log);
    container.load(
      databaseModule(knex, config),
      authModule({ knex, enforcer, sessionSecret: config.sessionSecret, sessionTtlMinutes: config.sessionTtlMinutes, sessionIdleMinutes: config.sessionIdleMinutes, cas: config.cas, oidc: config.oidc, ldap: config.ldap, localAccounts: config.localAccounts }),
      useCasesModule,
    );
    overrides?.(container);
    return container;
  } catch (e) {
    await knex.destroy();
    throw e;
  }
}

export async function disposeContainer(container: Container): Promise<void> {
  container.get<{ shutdown(): void }>(BUSINESS_CONNECTORS).shutdown();
  await container.get<PgPolicyWatcher>(POLICY_WATCHER).stop();
  await container.get<Knex>(KNEX).destroy();
}
