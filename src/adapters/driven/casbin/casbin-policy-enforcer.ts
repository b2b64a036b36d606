import type { Knex } from 'knex';
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import type { PolicyEnforcer, RoleAssignment } from '../../../application/ports/policy-enforcer.port.js';
import { KnexCasbinAdapter } from './knex-casbin-adapter.js';
import { RBAC_WITH_DOMAINS_MODEL } from './rbac-with-domains.model.js';

/**
 * The port over a Casbin enforcer (RBAC with unit domains) whose policy lives in `casbin_rule`.
 * Read-only: rules are written elsewhere (e.g. through KnexCasbinAdapter) and picked up by `reload()`.
 */
export class CasbinPolicyEnforcer implements PolicyEnforcer {
  /** Generation of the enforcer in use: a slow, older reload never replaces a newer one. */
  private generation = 0;
  private started = 0;

  private constructor(private readonly adapter: KnexCasbinAdapter, private enforcer: Enforcer) {}

  /** Loads all policy through the application's pool. */
  static async create(knex: Knex): Promise<CasbinPolicyEnforcer> {
    const adapter = new KnexCasbinAdapter(knex);
    return new CasbinPolicyEnforcer(adapter, await load(adapter));
  }

  /**
   * Re-reads the table into a fresh enforcer and swaps it in once loaded, so concurrent `can` calls
   * keep deciding with the previous, complete policy meanwhile.
   */
  async reload(): Promise<void> {
    const generation = ++this.started;
    const fresh = await load(this.adapter);
    if (generation > this.generation) {
      this.enforcer = fresh;
      this.generation = generation;
    }
  }

  refresh(): Promise<void> {
    return this.reload();
  }

  async can(request: { subject: string; unit: string; object: string; action: string }): Promise<boolean> {
    const { subject, unit, object, action } = request;
    // a missing unit would otherwise be a silent default domain: refuse it loudly
    requireValue('unit', unit);
    return this.enforcer.enforce(subject, unit, object, action);
  }

  async rolesOf({ subject }: { subject: string }): Promise<RoleAssignment[]> {
    requireValue('subject', subject); // '' would match every subject
    const rules = await this.enforcer.getFilteredGroupingPolicy(0, subject);
    const seen = new Set<string>();
    const roles: RoleAssignment[] = [];
    for (const [sub, role, unit] of rules) {
      if (sub !== subject || role === undefined || unit === undefined) continue;
      const key = JSON.stringify([role, unit]);
      if (seen.has(key)) continue;
      seen.add(key);
      roles.push({ subject, role, unit });
    }
    return roles.sort((a, b) => compare(a.unit, b.unit) || compare(a.role, b.role));
  }

  async holders({ role, unit }: { role: string; unit: string }): Promise<string[]> {
    requireValue('role', role);
    requireValue('unit', unit);
    const rules = await this.enforcer.getFilteredGroupingPolicy(1, role, unit);
    const subjects = new Set<string>();
    for (const [sub, r, u] of rules) if (sub !== undefined && r === role && u === unit) subjects.add(sub);
    return [...subjects].sort(compare);
  }
}

async function load(adapter: KnexCasbinAdapter): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(RBAC_WITH_DOMAINS_MODEL), adapter);
  enforcer.enableAutoSave(false); // this enforcer never writes
  return enforcer;
}

function requireValue(name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`policy enforcer: ${name} must be given (got ${JSON.stringify(value)})`);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
