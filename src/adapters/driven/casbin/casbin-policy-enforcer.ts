import type { Knex } from 'knex';
import { newModelFromString } from 'casbin';
import type { PolicyEnforcer, RoleAssignment } from '../../../application/ports/policy-enforcer.port.js';
import { KnexCasbinAdapter } from './knex-casbin-adapter.js';
import { PolicyIndex, type AssignmentChange } from './policy-index.js';
import { RBAC_WITH_DOMAINS_MODEL } from './rbac-with-domains.model.js';

/** Reads the whole policy. */
export type PolicySource = () => Promise<PolicyIndex>;

/** Makes this instance current with every policy change committed before the call (see PgPolicyWatcher.sync). */
export interface PolicyFeed {
  sync(): Promise<void>;
}

/**
 * The port over the RBAC-with-unit-domains policy kept in `casbin_rule`, decided by a PolicyIndex
 * (the model compiled into hash maps). Changes other instances commit arrive through `apply`
 * (from PgPolicyWatcher); `reload` reads everything again.
 */
export class CasbinPolicyEnforcer implements PolicyEnforcer {
  private index: PolicyIndex | undefined;
  /** Generation of the index in use: a slow, older reload never replaces a newer one. */
  private generation = 0;
  private started = 0;
  /** Changes applied while a reload reads the table, one list per reload: its snapshot may predate them. */
  private readonly replays = new Set<AssignmentChange[]>();
  private feed: PolicyFeed | undefined;

  /** Loads nothing yet: `reload()` (or the watcher's start) does; deciding before that throws. */
  constructor(private readonly source: PolicySource) {}

  /** Loaded now, through the application's pool. */
  static async create(knex: Knex): Promise<CasbinPolicyEnforcer> {
    const enforcer = new CasbinPolicyEnforcer(knexPolicySource(knex));
    await enforcer.reload();
    return enforcer;
  }

  /** From now on `refresh()` waits for the feed instead of reading everything. */
  followChanges(feed: PolicyFeed): void {
    this.feed = feed;
  }

  /**
   * Reads the table into a fresh index and swaps it in once complete, so concurrent decisions keep
   * using the previous, complete policy. Changes applied meanwhile are replayed onto the fresh index:
   * replaying a change its snapshot already holds changes nothing, and they come in commit order.
   */
  async reload(): Promise<void> {
    const generation = ++this.started;
    const missed: AssignmentChange[] = [];
    this.replays.add(missed);
    try {
      const fresh = await this.source();
      if (generation > this.generation) {
        for (const change of missed) fresh.apply(change);
        this.index = fresh;
        this.generation = generation;
      }
    } finally {
      this.replays.delete(missed);
    }
  }

  /** Changes committed elsewhere, in commit order. */
  apply(changes: readonly AssignmentChange[]): void {
    for (const change of changes) {
      this.index?.apply(change);
      for (const missed of this.replays) missed.push(change);
    }
  }

  /**
   * After a change this instance committed: once this resolves, decisions include it and everything
   * committed before. Through the feed that is one round trip; without one (or with the feed down)
   * the whole policy is read again.
   */
  async refresh(): Promise<void> {
    if (this.feed) {
      try {
        await this.feed.sync();
        return;
      } catch {
        // the feed lost its connection or timed out; reading everything is slower but never wrong
      }
    }
    await this.reload();
  }

  async can(request: { subject: string; unit: string; object: string; action: string }): Promise<boolean> {
    const { subject, unit, object, action } = request;
    // a missing unit would otherwise be a silent default domain: refuse it loudly
    requireValue('unit', unit);
    requireValue('subject', subject);
    return this.current().allows(subject, unit, object, action);
  }

  async rolesOf({ subject }: { subject: string }): Promise<RoleAssignment[]> {
    requireValue('subject', subject);
    return this.current().rolesOf(subject);
  }

  async holders({ role, unit }: { role: string; unit: string }): Promise<string[]> {
    requireValue('role', role);
    requireValue('unit', unit);
    return this.current().holders(role, unit);
  }

  private current(): PolicyIndex {
    if (!this.index) throw new Error('policy enforcer: the policy is not loaded yet');
    return this.index;
  }
}

/** The whole `casbin_rule` table, read through the same adapter and model a casbin Enforcer would use. */
export function knexPolicySource(knex: Knex): PolicySource {
  const adapter = new KnexCasbinAdapter(knex);
  return async () => {
    const model = newModelFromString(RBAC_WITH_DOMAINS_MODEL);
    await adapter.loadPolicy(model);
    return PolicyIndex.fromRules(model.getPolicy('p', 'p'), model.getPolicy('g', 'g'));
  };
}

function requireValue(name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`policy enforcer: ${name} must be given (got ${JSON.stringify(value)})`);
  }
}
