import { expect } from 'chai';
import type { JobState } from '../../src/application/ports/job-admin.port.js';
import type { TransactionScope } from '../../src/application/ports/unit-of-work.port.js';
import type { Application } from '../../src/domain/application/application.entity.js';
import { ApplicationMother, engineContextFor } from '../mothers/application.mother.js';
import { FollowUpMother } from '../mothers/evaluation.mother.js';
import { PersonMother } from '../mothers/organisation.mother.js';
import { NodeMother, ProcessDefinitionMother } from '../mothers/process-definition.mother.js';
import { rejection, REMINDERS, type Side } from './sides.js';
import { seedWorld, type ContractWorld } from './world.js';

/** A job as pgboss.job holds it (and the fake's job table). */
export interface JobView {
  id: string;
  state: JobState;
  startAfter: Date;
  retryCount: number;
  data: Record<string, unknown>;
}

export interface JobSide extends Side {
  /** The jobs of a queue, as committed. */
  jobs(queue: string): Promise<JobView[]>;
  /** What a worker's fetch does to a job: it becomes active, one more retry when it ran before. */
  fetch(queue: string, id: string): Promise<void>;
}

const REMINDER = 'task-reminder';
const EMAIL = 'notification-email';
const CONNECTOR = 'connector-call';
const HOUR = 3_600_000;
const LATER = new Date('2026-11-24T01:00:00.000Z');

const openTask = (a: Application, node: string) => {
  const t = a.tasks.find((x) => x.nodeKey === node && x.status === 'open');
  if (!t) throw new Error(`no open task at ${node}`);
  return t;
};

/**
 * The durable jobs the use cases schedule through the unit of work: reminder timers armed and
 * disarmed with the tasks and follow-ups they follow, calls to business systems, e-mail deliveries,
 * and the end of a worker's job (JobReceipts), all in the transaction of the change that causes them.
 */
export function jobSchedulerContract(name: string, make: (o: { email: boolean }) => Promise<JobSide>): void {
  describe(`Job scheduling contract (timers, connector calls, e-mails, JobReceipts): ${name}`, () => {
    let side: JobSide;
    let w: ContractWorld;
    before(async () => {
      side = await make({ email: false });
      w = await seedWorld(side);
    });
    after(async () => {
      await side.close();
    });
    const run = <T>(work: (scope: TransactionScope) => Promise<T>) => side.uow.run(work);

    /** The reminder timers of a task (or follow-up), earliest first. */
    const timers = async (subjectId: string, subject: 'taskId' | 'followUpId' = 'taskId') =>
      (await side.jobs(REMINDER))
        .filter((j) => j.data[subject] === subjectId)
        .sort((a, b) => a.startAfter.getTime() - b.startAfter.getTime())
        .map((j) => ({ kind: j.data.kind, state: j.state, at: j.startAfter.toISOString(), dueAt: j.data.dueAt }));
    const armed = (dueAt: string, kinds = ['before-due', 'due', 'overdue'], state: JobState = 'created') => {
      const due = Date.parse(dueAt);
      const at = {
        'before-due': due - REMINDERS.beforeHours * HOUR,
        due,
        overdue: due + REMINDERS.escalateAfterHours * HOUR,
      } as Record<string, number>;
      return kinds.map((kind) => ({ kind, state, at: new Date(at[kind]!).toISOString(), dueAt }));
    };

    describe('reminder timers', () => {
      it('arms three timers for a task that opens with a due time: before it, at it, and the escalation after it', async () => {
        const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-300001' });
        await run((s) => s.applications.add(a));
        const check = openTask(a, 'check');
        expect(await timers(check.id)).to.deep.equal(armed(check.dueAt!));
      });

      it('arms no before-due timer when the task opens within the lead time of its due time', async () => {
        const world = await seedWorld(
          side,
          ProcessDefinitionMother.create({ steps: [NodeMother.review({ key: 'check', timeLimit: { hours: 8 } })] }),
        );
        const a = ApplicationMother.submitted(world, { caseNumber: '2026-CW-300002' });
        await run((s) => s.applications.add(a));
        const check = openTask(a, 'check');
        expect(await timers(check.id)).to.deep.equal(armed(check.dueAt!, ['due', 'overdue']));
      });

      it("keeps a task's timers through a claim; cancels them when it closes, and arms the next task's, in that run", async () => {
        const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-300003' });
        await run((s) => s.applications.add(a));
        const check = openTask(a, 'check');
        await run(async (s) => {
          const x = (await s.applications.findById(a.id, { forUpdate: true }))!;
          x.claim(check.id, w.handler.id, true, LATER);
          await s.applications.save(x);
        });
        expect(await timers(check.id)).to.deep.equal(armed(check.dueAt!));
        const approved = await run(async (s) => {
          const x = (await s.applications.findById(a.id, { forUpdate: true }))!;
          expect(x.approve(check.id, w.handler.id, undefined, engineContextFor(w, LATER)).ok).to.equal(true);
          await s.applications.save(x);
          return x;
        });
        expect(await timers(check.id)).to.deep.equal(armed(check.dueAt!, undefined, 'cancelled'));
        const done = openTask(approved, 'done');
        expect(await timers(done.id)).to.deep.equal(armed(done.dueAt!, ['due', 'overdue']));
      });

      it('gives a task its cancelled timers back when it reopens with the same due time (a signer asked before it answered)', async () => {
        const signer = PersonMother.staff();
        await run((s) => s.personnel.upsert(signer, LATER));
        const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-300004' });
        const check = openTask(a, 'check');
        a.claim(check.id, w.handler.id, true, LATER);
        await run((s) => s.applications.add(a));
        const asked = await run(async (s) => {
          const x = (await s.applications.findById(a.id, { forUpdate: true }))!;
          expect(
            x.addSigner(check.id, w.handler.id, signer.id, 'before', '请先看看', engineContextFor(w, LATER)).ok,
          ).to.equal(true);
          await s.applications.save(x);
          return x;
        });
        const opinion = openTask(asked, 'check');
        expect(opinion.assignee).to.equal(signer.id);
        expect(await timers(check.id), 'the task waits').to.deep.equal(armed(check.dueAt!, undefined, 'cancelled'));
        expect(await timers(opinion.id), "the signer's task shares the due time").to.deep.equal(armed(check.dueAt!));
        await run(async (s) => {
          const x = (await s.applications.findById(a.id, { forUpdate: true }))!;
          expect(x.approve(opinion.id, signer.id, '可以', engineContextFor(w, LATER)).ok).to.equal(true);
          await s.applications.save(x);
        });
        expect(await timers(check.id), 'reopened').to.deep.equal(armed(check.dueAt!));
        expect(await timers(opinion.id)).to.deep.equal(armed(check.dueAt!, undefined, 'cancelled'));
      });

      it('arms and cancels nothing in a run that rolls back', async () => {
        const a = ApplicationMother.submitted(w, { caseNumber: '2026-CW-300005' });
        await rejection(
          run(async (s) => {
            await s.applications.add(a);
            throw new Error('refused');
          }),
        );
        expect(await timers(openTask(a, 'check').id)).to.deep.equal([]);
        const b = ApplicationMother.submitted(w, { caseNumber: '2026-CW-300006' });
        await run((s) => s.applications.add(b));
        const check = openTask(b, 'check');
        await rejection(
          run(async (s) => {
            const x = (await s.applications.findById(b.id, { forUpdate: true }))!;
            x.claim(check.id, w.handler.id, true, LATER);
            x.approve(check.id, w.handler.id, undefined, engineContextFor(w, LATER));
            await s.applications.save(x);
            throw new Error('refused');
          }),
        );
        expect(await timers(check.id)).to.deep.equal(armed(check.dueAt!));
      });

      it("arms a follow-up's timers while it is open, however often it is written, and cancels them when it closes", async () => {
        const a = ApplicationMother.completed(w);
        await run((s) => s.applications.add(a));
        const f = FollowUpMother.create({
          applicationId: a.id,
          itemId: w.itemId,
          dueAt: new Date('2026-12-15T15:59:59.999Z'),
        });
        await run((s) => s.followUps.put(f));
        await run((s) => s.followUps.put(f));
        const dueAt = f.snapshot().dueAt.toISOString();
        expect(await timers(f.id, 'followUpId')).to.deep.equal(armed(dueAt));
        expect(f.resolve('T0301', '已整改', LATER).ok).to.equal(true);
        await run((s) => s.followUps.put(f));
        expect(await timers(f.id, 'followUpId')).to.deep.equal(armed(dueAt, undefined, 'cancelled'));
      });
    });

    describe('connector calls', () => {
      const call = (applicationId: string, activation = 1) => ({
        applicationId,
        node: 'dorm',
        activation,
        request: {
          connector: 'dormitory-system',
          caseNumber: '2026-CW-300010',
          applicationId,
          node: 'dorm',
          fields: { room: '3-201' },
          applicant: { id: w.applicant.id, type: 'student', unit: 'college-info' },
        },
      });
      const callsOf = async (applicationId: string) =>
        (await side.jobs(CONNECTOR)).filter((j) => j.data.applicationId === applicationId);

      it('queues a call once per application, node and activation, due at once; its request id is the job id, the same on every enqueue', async () => {
        const applicationId = globalThis.crypto.randomUUID();
        const before = Date.now();
        await run(async (s) => {
          await s.connectorCalls.enqueue(call(applicationId));
          await s.connectorCalls.enqueue(call(applicationId));
        });
        await run((s) => s.connectorCalls.enqueue(call(applicationId)));
        const [job, ...more] = await callsOf(applicationId);
        expect(more).to.deep.equal([]);
        expect(job!.state).to.equal('created');
        expect(job!.startAfter.getTime()).to.be.within(before - 5000, Date.now() + 5000);
        expect(job!.data).to.deep.equal({
          ...call(applicationId),
          request: { ...call(applicationId).request, requestId: job!.id },
        });
        await run((s) => s.connectorCalls.enqueue(call(applicationId, 2)));
        const ids = (await callsOf(applicationId)).map((j) => j.id);
        expect(new Set(ids).size).to.equal(2);
      });

      it('queues nothing in a run that rolls back', async () => {
        const applicationId = globalThis.crypto.randomUUID();
        await rejection(
          run(async (s) => {
            await s.connectorCalls.enqueue(call(applicationId));
            throw new Error('refused');
          }),
        );
        expect(await callsOf(applicationId)).to.deep.equal([]);
      });
    });

    describe('JobReceipts', () => {
      /** A job of the connector queue, as a worker fetched it. */
      const heldJob = async () => {
        const applicationId = globalThis.crypto.randomUUID();
        await run((s) =>
          s.connectorCalls.enqueue({
            applicationId,
            node: 'n',
            activation: 1,
            request: {
              connector: 'c',
              caseNumber: null,
              applicationId,
              node: 'n',
              fields: {},
              applicant: { id: 'x', type: 'staff', unit: 'finance' },
            },
          }),
        );
        const job = (await side.jobs(CONNECTOR)).find((j) => j.data.applicationId === applicationId)!;
        await side.fetch(CONNECTOR, job.id);
        return { queue: CONNECTOR, id: job.id };
      };
      const stateOf = async (job: { queue: string; id: string }) =>
        (await side.jobs(job.queue)).find((j) => j.id === job.id)!;

      it('completes a job a worker holds with the run that does its work; a run that rolls back leaves it held', async () => {
        const job = await heldJob();
        await rejection(
          run(async (s) => {
            await s.jobs.complete(job);
            throw new Error('work failed');
          }),
        );
        expect((await stateOf(job)).state).to.equal('active');
        await run((s) => s.jobs.complete(job));
        expect((await stateOf(job)).state).to.equal('completed');
        await run((s) => s.jobs.fail(job, 'too late'));
        expect((await stateOf(job)).state, 'a completed job stays completed').to.equal('completed');
      });

      it('completes only a job a worker holds: one waiting for a worker, or unknown, is left as it is', async () => {
        const job = await heldJob();
        await run((s) => s.jobs.complete(job));
        const applicationId = globalThis.crypto.randomUUID();
        await run((s) =>
          s.connectorCalls.enqueue({
            applicationId,
            node: 'n',
            activation: 1,
            request: {
              connector: 'c',
              caseNumber: null,
              applicationId,
              node: 'n',
              fields: {},
              applicant: { id: 'x', type: 'staff', unit: 'finance' },
            },
          }),
        );
        const waiting = (await side.jobs(CONNECTOR)).find((j) => j.data.applicationId === applicationId)!;
        await run(async (s) => {
          await s.jobs.complete({ queue: CONNECTOR, id: waiting.id });
          await s.jobs.complete({ queue: CONNECTOR, id: globalThis.crypto.randomUUID() });
        });
        expect((await stateOf({ queue: CONNECTOR, id: waiting.id })).state).to.equal('created');
      });

      it('retries a failed attempt after a back-off, and keeps the job failed after the last attempt of its queue', async () => {
        const job = await heldJob();
        const states: JobState[] = [];
        for (let attempt = 1; attempt <= 10 && !states.includes('failed'); attempt++) {
          if (attempt > 1) await side.fetch(job.queue, job.id);
          const before = Date.now();
          await run((s) => s.jobs.fail(job, `attempt ${attempt}: 503`));
          const after = await stateOf(job);
          states.push(after.state);
          if (after.state === 'retry') expect(after.startAfter.getTime(), 'retried later').to.be.above(before);
        }
        expect(states).to.deep.equal([...Array<JobState>(7).fill('retry'), 'failed']);
        expect((await stateOf(job)).retryCount).to.equal(7);
      });
    });

    describe('e-mail deliveries', () => {
      let mailing: JobSide;
      before(async () => {
        mailing = await make({ email: true });
      });
      after(async () => {
        await mailing.close();
      });

      it('enqueues one delivery job per notification when e-mail is on, carrying its id; none for a repeated dedupe key, none with e-mail off', async () => {
        const world = await seedWorld(mailing);
        const notification = (dedupeKey: string, recipientId = world.handler.id) => ({
          recipientId,
          kind: 'urge' as const,
          subject: '【催办】',
          body: '请尽快办理',
          applicationId: null,
          taskId: null,
          dedupeKey,
          at: LATER,
        });
        const key = globalThis.crypto.randomUUID();
        expect(await mailing.uow.run((s) => s.notifier.notify(notification(key)))).to.equal(true);
        expect(await mailing.uow.run((s) => s.notifier.notify(notification(key)))).to.equal(false);
        const jobs = await mailing.jobs(EMAIL);
        expect(jobs.map((j) => [j.state, j.data])).to.deep.equal([['created', { notificationId: jobs[0]!.id }]]);
        await rejection(
          mailing.uow.run(async (s) => {
            await s.notifier.notify(notification(globalThis.crypto.randomUUID()));
            throw new Error('refused');
          }),
        );
        expect(await mailing.jobs(EMAIL)).to.have.length(1);
        expect(
          await run((s) => s.notifier.notify(notification(globalThis.crypto.randomUUID(), w.handler.id))),
        ).to.equal(true);
        expect(await side.jobs(EMAIL)).to.deep.equal([]);
      });
    });
  });
}
