import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { CasbinPolicyEnforcer, knexPolicySource } from './casbin-policy-enforcer.js';
import { PgPolicyWatcher } from './pg-policy-watcher.js';

/**
 * An instance's policy enforcer kept current with every instance's changes. The watcher LISTENs
 * before it loads the policy, so no change committed meanwhile is missed; from then on each change
 * is applied as it commits, and `refresh()` waits for the changes this instance committed itself.
 */
export async function startLivePolicy(o: {
  knex: Knex;
  databaseUrl: string;
  logger: Logger;
}): Promise<{ enforcer: CasbinPolicyEnforcer; watcher: PgPolicyWatcher }> {
  const enforcer = new CasbinPolicyEnforcer(knexPolicySource(o.knex));
  const watcher = new PgPolicyWatcher(o.databaseUrl, enforcer, o.logger);
  await watcher.start();
  enforcer.followChanges(watcher);
  return { enforcer, watcher };
}
