import { expect } from 'chai';
import pino from 'pino';
import { startLivePolicy } from '../../src/adapters/driven/casbin/live-policy.js';
import { KnexRoleAssignments } from '../../src/adapters/driven/casbin/knex-role-assignments.js';
import type { CasbinPolicyEnforcer } from '../../src/adapters/driven/casbin/casbin-policy-enforcer.js';
import type { PgPolicyWatcher } from '../../src/adapters/driven/casbin/pg-policy-watcher.js';
import { MAX_PAYLOAD_BYTES, POLICY_CHANNEL } from '../../src/adapters/driven/casbin/policy-notification.js';
import type { RoleAssignment } from '../../src/application/ports/policy-enforcer.port.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

/** A generous bound for a change to reach the other instance (it takes milliseconds). */
const PROPAGATION_BOUND_MS = 5000;

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > PROPAGATION_BOUND_MS) throw new Error(`not within ${PROPAGATION_BOUND_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const defines = (subject: string, unit: string) => ({ subject, unit, object: 'service-item', action: 'define' });
const admin = (subject: string, unit: string): RoleAssignment => ({ subject, role: 'unit-service-admin', unit });

describe('policy changes between two instances on one database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let a: { enforcer: CasbinPolicyEnforcer; watcher: PgPolicyWatcher };
  let b: { enforcer: CasbinPolicyEnforcer; watcher: PgPolicyWatcher };
  const logger = pino({ level: 'silent' });

  /** Runs role changes in one transaction, as a use case does, then refreshes instance A as its after-commit hook does. */
  async function onA(work: (roles: KnexRoleAssignments) => Promise<void>, changesBeforeReload?: number): Promise<void> {
    await db.knex.transaction((trx) => work(new KnexRoleAssignments(trx, changesBeforeReload)));
    await a.enforcer.refresh();
  }

  /** A row written behind the watchers' backs: only a full reload can bring it in. */
  const sneakIn = (r: RoleAssignment) =>
    db.knex('casbin_rule').insert({ ptype: 'g', v0: r.subject, v1: r.role, v2: r.unit });

  before(async () => {
    db = await createTestDatabase();
    a = await startLivePolicy({ knex: db.knex, databaseUrl: db.url, logger });
    b = await startLivePolicy({ knex: db.knex, databaseUrl: db.url, logger });
  });
  after(async () => {
    await a.watcher.stop();
    await b.watcher.stop();
    await db.drop();
  });

  it('a grant reaches the other instance by itself, without a full reload; the granting instance decides with it once refresh() returns', async () => {
    await sneakIn(admin('hidden-1', 'finance'));
    await onA((roles) => roles.grant(admin('T1001', 'finance')).then(() => undefined));
    expect(await a.enforcer.can(defines('T1001', 'finance'))).to.equal(true);
    await eventually('B allows the grant', () => b.enforcer.can(defines('T1001', 'finance')));
    expect(await b.enforcer.rolesOf({ subject: 'T1001' })).to.deep.equal([admin('T1001', 'finance')]);
    expect(await b.enforcer.holders({ role: 'unit-service-admin', unit: 'finance' })).to.deep.equal(['T1001']);
    expect(await b.enforcer.can(defines('T1001', 'logistics'))).to.equal(false);
    // neither instance read the table again
    expect(await b.enforcer.can(defines('hidden-1', 'finance'))).to.equal(false);
    expect(await a.enforcer.can(defines('hidden-1', 'finance'))).to.equal(false);
  });

  it('a revoke reaches the other instance', async () => {
    await onA((roles) => roles.revoke(admin('T1001', 'finance')).then(() => undefined));
    expect(await a.enforcer.can(defines('T1001', 'finance'))).to.equal(false);
    await eventually('B denies after the revoke', async () => !(await b.enforcer.can(defines('T1001', 'finance'))));
    expect(await b.enforcer.rolesOf({ subject: 'T1001' })).to.deep.equal([]);
  });

  it('several changes in one transaction (an offboarding) arrive together, in order, and a rolled-back one never does', async () => {
    await onA(async (roles) => {
      for (const unit of ['finance', 'logistics', 'academic-affairs']) await roles.grant(admin('T1002', unit));
      await roles.grant({ subject: 'T1002', role: 'auditor', unit: '*' });
    });
    await eventually(
      'B sees all four roles',
      async () => (await b.enforcer.rolesOf({ subject: 'T1002' })).length === 4,
    );

    const rolledBack = db.knex.transaction(async (trx) => {
      await new KnexRoleAssignments(trx).grant(admin('T1003', 'finance'));
      throw new Error('refused');
    });
    await rolledBack.catch(() => undefined);

    // revoke everything, and grant-revoke-grant one assignment: identical payloads must not collapse
    await onA(async (roles) => {
      for (const r of await roles.list({ subject: 'T1002' })) await roles.revoke(r);
      await roles.grant(admin('T1006', 'finance'));
      await roles.revoke(admin('T1006', 'finance'));
      await roles.grant(admin('T1006', 'finance'));
      await roles.grant(admin('T1004', 'finance'));
    });
    for (const e of [a.enforcer, b.enforcer]) {
      await eventually('the last change of the transaction arrived', () => e.can(defines('T1004', 'finance')));
      expect(await e.rolesOf({ subject: 'T1002' })).to.deep.equal([]);
      expect(await e.rolesOf({ subject: 'T1006' })).to.deep.equal([admin('T1006', 'finance')]);
      expect(await e.can({ subject: 'T1002', unit: 'finance', object: 'audit', action: 'read' })).to.equal(false);
      expect(await e.can(defines('T1003', 'finance')), 'rolled back').to.equal(false);
    }
  });

  it('past the per-transaction limit a reload marker stands for the rest, and the granting instance still decides with all of it after refresh()', async () => {
    await sneakIn(admin('hidden-2', 'finance'));
    const people = Array.from({ length: 8 }, (_, i) => `T11${i}`);
    await onA(async (roles) => {
      for (const p of people) await roles.grant(admin(p, 'logistics'));
    }, 3);
    for (const p of people) expect(await a.enforcer.can(defines(p, 'logistics')), p).to.equal(true);
    expect(await a.enforcer.can(defines('hidden-2', 'finance')), 'the marker made A reload').to.equal(true);
    await eventually(
      'B has every grant',
      async () =>
        (await b.enforcer.holders({ role: 'unit-service-admin', unit: 'logistics' })).length === people.length,
    );
    await eventually('B reloaded', () => b.enforcer.can(defines('hidden-2', 'finance')));
  });

  it('a change too large for a NOTIFY payload (8000 bytes) is announced as a reload marker', async () => {
    await db.knex.raw('SELECT pg_notify(?, ?)', ['hall_test_unheard', 'x'.repeat(MAX_PAYLOAD_BYTES)]);
    const refused = await db.knex
      .raw('SELECT pg_notify(?, ?)', ['hall_test_unheard', 'x'.repeat(MAX_PAYLOAD_BYTES + 1)])
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(refused?.message).to.match(/payload string too long/);
    const long = `T${'张'.repeat(2700)}`; // 8,101 bytes in UTF-8
    await onA((roles) => roles.grant(admin(long, 'finance')).then(() => undefined));
    expect(await a.enforcer.can(defines(long, 'finance'))).to.equal(true);
    await eventually('B reloaded', () => b.enforcer.can(defines(long, 'finance')));
  });

  it("an unreadable payload (an older instance's bare 'g') makes every instance reload", async () => {
    await sneakIn(admin('hidden-3', 'finance'));
    await db.knex.raw('SELECT pg_notify(?, ?)', [POLICY_CHANNEL, 'g']);
    await eventually('A reloaded', () => a.enforcer.can(defines('hidden-3', 'finance')));
    await eventually('B reloaded', () => b.enforcer.can(defines('hidden-3', 'finance')));
  });

  it('after its LISTEN connection is lost an instance reconnects and reloads fully, then follows changes again', async () => {
    const lost = b.watcher.backendPid;
    expect(lost).to.be.a('number');
    await sneakIn(admin('hidden-4', 'finance')); // stands for a notification sent while B was not listening
    await db.knex.raw('SELECT pg_terminate_backend(?)', [lost!]);
    await eventually('B reloaded after reconnecting', () => b.enforcer.can(defines('hidden-4', 'finance')));
    expect(b.watcher.backendPid).to.not.equal(lost);
    await onA((roles) => roles.grant(admin('T1005', 'finance')).then(() => undefined));
    await eventually('B follows changes again', () => b.enforcer.can(defines('T1005', 'finance')));
  });

  it('refresh() reads everything itself when its watcher cannot answer', async () => {
    await sneakIn(admin('hidden-5', 'finance'));
    await a.watcher.stop();
    await a.enforcer.refresh();
    expect(await a.enforcer.can(defines('hidden-5', 'finance'))).to.equal(true);
  });
});
