import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { buildContainer, disposeContainer, type Container } from '../../src/adapters/composition/container.js';
import { seedDemoServiceItems } from '../../src/adapters/composition/demo.js';
import {
  addApplications,
  applicantId,
  handlerId,
  prepareOrganisation,
  SPACING_MS,
  vacuumAnalyze,
} from '../../bench/bulk-applications.js';
import { captureReads, explain, type PlanSummary } from '../../bench/query-plans.js';
import { monthOf } from '../../src/domain/audit/audit-month.js';
import { createTestApp, testConfig, type TestApp } from '../fixtures/test-app.js';

const APPLICATIONS = 30_000;
const SHAPE = { units: 30, handlersPerUnit: 5, applicants: 3_000 };
// the audit entries are all of this month: its partition is big (the empty ones may be scanned)
const BIG = [
  'applications',
  'tasks',
  'application_history',
  'application_copies',
  'audit_log',
  `audit_log_y${monthOf(new Date()).replace('-', 'm')}`,
];

/**
 * The reads' statements, as the adapters send them, planned on a database with tens of thousands of
 * applications (as the inbox bench generates them) and their statistics: each must reach the big
 * tables only through its intended index.
 */
describe('plans of the reads (real PostgreSQL, 30 k applications)', () => {
  let t: TestApp;
  let db: pg.Client;
  let container: Container;
  let dataDir: string;
  let unit: string;
  let applicationId: string;

  before(async function () {
    this.timeout(180_000);
    t = await createTestApp();
    await seedDemoServiceItems(t.container, pino({ level: 'silent' }));
    db = new pg.Client({ connectionString: t.db.url });
    await db.connect();
    await prepareOrganisation(db, SHAPE);
    const now = new Date();
    await addApplications(db, {
      from: 0,
      to: APPLICATIONS,
      t0: new Date(now.getTime() - APPLICATIONS * SPACING_MS),
      now,
      ...SHAPE,
    });
    // 50 k audit entries: one in 50 of a person, the rest of 3,000 applications
    await db.query(`INSERT INTO audit_log (id, occurred_at, actor_id, action, entity_type, entity_id)
      SELECT gen_random_uuid(), now(), 'T0001', 'bench.recorded', CASE WHEN g % 50 = 0 THEN 'person' ELSE 'application' END, 'E' || g % 3000
        FROM generate_series(1, 50000) g`);
    // every application copied to one of 3,000 people (a person has about ten)
    await db.query(`INSERT INTO application_copies (application_id, person_id, copied_at, copied_by)
      SELECT id, 'C' || lpad((abs(hashtext(id::text)) % 3000)::text, 4, '0'), updated_at, applicant_id FROM applications`);
    await vacuumAnalyze(db);
    // a container started after the load, so its policy holds the generated handlers' roles
    dataDir = await mkdtemp(path.join(tmpdir(), 'hall-plans-'));
    container = await buildContainer(testConfig(t.db.url, dataDir), undefined, pino({ level: 'silent' }));
    unit = (await db.query('SELECT unit_key FROM people WHERE id = $1', [handlerId(1)])).rows[0].unit_key as string;
    applicationId = (
      await db.query('SELECT id FROM applications WHERE applicant_id = $1 ORDER BY created_at DESC LIMIT 1', [
        applicantId(1),
      ])
    ).rows[0].id as string;
  });
  after(async () => {
    await disposeContainer(container);
    await db.end();
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const actor = (personId: string) => ({ personId, requestId: 'plans' });
  const uc = () => container.useCases;

  async function plansOf(work: () => Promise<unknown>): Promise<PlanSummary[]> {
    const { queries } = await captureReads(container.knex, work);
    const plans: PlanSummary[] = [];
    for (const q of queries) plans.push(await explain(db, q, false));
    return plans;
  }

  function expectIndexes(plans: PlanSummary[], indexes: string[]): void {
    const used = plans.flatMap((p) => p.indexes);
    for (const index of indexes)
      expect(
        used,
        JSON.stringify(
          plans.map((p) => [p.sql, p.scans]),
          null,
          1,
        ),
      ).to.include(index);
    for (const p of plans)
      expect(
        p.seqScans.filter((s) => BIG.includes(s)),
        p.sql,
      ).to.deep.equal([]);
  }

  it("the inbox reads the person's and each pool's open tasks from their partial indexes, first page and next", async () => {
    const first = await uc().inbox.list({ actor: actor(handlerId(1)), limit: 20 });
    expect(first.ok && first.value.items).to.have.length(20);
    expectIndexes(await plansOf(() => uc().inbox.list({ actor: actor(handlerId(1)), limit: 20 })), [
      'tasks_open_by_assignee',
      'tasks_open_by_pool',
    ]);
    const cursor = first.ok ? first.value.nextCursor! : '';
    expectIndexes(await plansOf(() => uc().inbox.list({ actor: actor(handlerId(1)), limit: 20, cursor })), [
      'tasks_open_by_assignee',
      'tasks_open_by_pool',
    ]);
  });

  it('the to-do count counts from the same partial indexes', async () => {
    expectIndexes(await plansOf(() => uc().inbox.count({ actor: actor(handlerId(1)) })), [
      'tasks_open_by_assignee',
      'tasks_open_by_pool',
    ]);
  });

  it('my applications walk applications_by_applicant, first page and next', async () => {
    const mine = uc().listMyApplications;
    const first = await mine.execute({ actor: actor(applicantId(1)), limit: 20 });
    expect(first.ok && first.value.items).to.have.length(20);
    expectIndexes(await plansOf(() => mine.execute({ actor: actor(applicantId(1)), limit: 20 })), [
      'applications_by_applicant',
    ]);
    const cursor = first.ok ? first.value.nextCursor! : '';
    expectIndexes(await plansOf(() => mine.execute({ actor: actor(applicantId(1)), limit: 20, cursor })), [
      'applications_by_applicant',
    ]);
  });

  it('progress reads one application, its tasks and its first history page by key', async () => {
    const plans = await plansOf(() => uc().getApplication.execute({ actor: actor(applicantId(1)), applicationId }));
    expectIndexes(plans, ['applications_pkey', 'tasks_application_id_index', 'application_history_pkey']);
  });

  it('supervision reads open tasks by owning unit, for one unit and for every unit', async () => {
    const supervision = uc().supervision;
    const one = await supervision.unit({ actor: actor('T0001'), unitKey: unit });
    expect(one.ok && one.value.openTasks).to.be.greaterThan(0);
    expectIndexes(await plansOf(() => supervision.unit({ actor: actor('T0001'), unitKey: unit })), [
      'tasks_open_by_unit',
    ]);
    expectIndexes(await plansOf(() => supervision.all({ actor: actor('T0001') })), ['tasks_open_by_unit']);
  });

  it('the audit list pages through the index of its filters', async () => {
    const trail = container.ports.auditTrail;
    expectIndexes(await plansOf(() => trail.list({ entityType: 'application', entityId: 'E7', limit: 200 })), [
      'audit_log_by_entity',
    ]);
    expectIndexes(await plansOf(() => trail.list({ entityType: 'person', limit: 200 })), ['audit_log_by_type']);
    const page = await trail.list({ limit: 200 });
    expectIndexes(await plansOf(() => trail.list({ limit: 200, cursor: page.nextCursor! })), ['audit_log_pkey']);
  });

  it("the done list walks the person's done actions backwards (application_history_done_by_actor), first page, next and filtered", async () => {
    const lists = uc().handlerLists;
    const first = await lists.done({ actor: actor(handlerId(1)), limit: 20 });
    expect(first.ok && first.value.items).to.have.length(20);
    // a later action on the same task is probed by the task
    expectIndexes(await plansOf(() => lists.done({ actor: actor(handlerId(1)), limit: 20 })), [
      'application_history_done_by_actor',
      'application_history_done_by_task',
    ]);
    const cursor = first.ok ? first.value.nextCursor! : '';
    expectIndexes(await plansOf(() => lists.done({ actor: actor(handlerId(1)), limit: 20, cursor })), [
      'application_history_done_by_actor',
    ]);
    expectIndexes(
      await plansOf(() =>
        lists.done({ actor: actor(handlerId(1)), limit: 20, outcome: 'approved', from: '2020-01-01T00:00:00Z' }),
      ),
      ['application_history_done_by_actor'],
    );
  });

  it("the copied list walks the person's copies (application_copies_by_person), first page and next", async () => {
    const lists = uc().handlerLists;
    const first = await lists.copied({ actor: actor('C0001'), limit: 5 });
    expect(first.ok && first.value.items).to.have.length(5);
    expectIndexes(await plansOf(() => lists.copied({ actor: actor('C0001'), limit: 5 })), [
      'application_copies_by_person',
    ]);
    const cursor = first.ok ? first.value.nextCursor! : '';
    expectIndexes(await plansOf(() => lists.copied({ actor: actor('C0001'), limit: 5, cursor })), [
      'application_copies_by_person',
    ]);
  });

  it('the task counts count from the partial indexes: done actions, copies, open and overdue tasks', async () => {
    const counts = await uc().handlerLists.counts({ actor: actor(handlerId(1)) });
    expect(counts.ok && counts.value.done).to.be.greaterThan(100);
    expectIndexes(await plansOf(() => uc().handlerLists.counts({ actor: actor(handlerId(1)) })), [
      'application_history_done_by_actor',
      'application_copies_by_person',
      'tasks_open_by_assignee',
      'tasks_open_by_pool',
      'tasks_open_due_by_assignee',
      'tasks_open_due_by_pool',
    ]);
  });

  it('the hand-over of a person who leaves finds their live tasks through the live-task indexes', async () => {
    const uow = container.ports.uow;
    const plans = await plansOf(() => uow.run((scope) => scope.applications.withLiveTasksOf(handlerId(1))));
    expectIndexes(plans, ['tasks_live_by_assignee', 'tasks_live_by_delegator']);
  });
});
