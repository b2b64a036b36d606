import { expect } from 'chai';
import type { AuditEntryInput } from '../../src/application/ports/audit-log.port.js';
import type { OutboxEvent } from '../../src/application/ports/outbox.port.js';
import { ConflictError } from '../../src/domain/shared/errors.js';
import { err, ok } from '../../src/domain/shared/result.js';
import { ApplicationMother } from '../mothers/application.mother.js';
import { PersonMother, UnitMother } from '../mothers/organisation.mother.js';
import { ServiceItemMother } from '../mothers/service-item.mother.js';
import { rejection, type Side } from './sides.js';
import { seedWorld } from './world.js';

/** A side with a look at what is committed (the audit trail and the outbox have no read port the use cases use). */
export interface UnitOfWorkSide extends Side {
  committed: {
    /** Committed audit entries of an entity, oldest first, without their seq and id. */
    audit(entityId: string): Promise<AuditEntryInput[]>;
    outbox(aggregateId: string): Promise<OutboxEvent[]>;
  };
}

const T = new Date('2026-11-24T03:04:05.678Z');
const entry = (entityId: string, o: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  actorId: 'T0001',
  action: 'x.happened',
  entityType: 'x',
  entityId,
  at: T,
  ...o,
});
const event = (aggregateId: string): OutboxEvent => ({
  topic: 'x.happened',
  aggregateType: 'x',
  aggregateId,
  payload: { n: 1, text: '办结' },
  at: T,
});

/** What every use case relies on: one run is one transaction, kept whole or not at all. */
export function unitOfWorkContract(name: string, make: () => Promise<UnitOfWorkSide>): void {
  describe(`UnitOfWork contract: ${name}`, () => {
    let side: UnitOfWorkSide;
    before(async () => {
      side = await make();
    });
    after(async () => {
      await side.close();
    });
    const id = () => globalThis.crypto.randomUUID();

    it('commits what the work wrote, returns what it returned, then runs the after-commit hooks, which see the commit', async () => {
      const key = id();
      const seen: number[] = [];
      const out = await side.uow.run(async (scope) => {
        await scope.audit.record(entry(key));
        await scope.outbox.enqueue(event(key));
        scope.afterCommit(async () => {
          seen.push((await side.committed.audit(key)).length);
        });
        scope.afterCommit(() => {
          seen.push(-1);
        });
        return ok({ key });
      });
      expect(out).to.deep.equal(ok({ key }));
      expect(seen, 'hooks in order, after the commit').to.deep.equal([1, -1]);
      expect(await side.committed.outbox(key)).to.deep.equal([event(key)]);
    });

    it('keeps nothing of a run that throws (application, audit entry and outbox event alike), rethrows, and runs no hook', async () => {
      const w = await seedWorld(side);
      const a = ApplicationMother.submitted(w);
      let hooks = 0;
      const thrown = await rejection(
        side.uow.run(async (scope) => {
          await scope.applications.add(a);
          await scope.audit.record(entry(a.id));
          await scope.outbox.enqueue(event(a.id));
          scope.afterCommit(() => {
            hooks++;
          });
          throw new Error('driver gone');
        }),
      );
      expect(thrown.message).to.equal('driver gone');
      expect(await side.uow.run((scope) => scope.applications.findById(a.id))).to.equal(null);
      expect([await side.committed.audit(a.id), await side.committed.outbox(a.id), hooks]).to.deep.equal([[], [], 0]);
    });

    it('rolls back a run that resolves with a failed Result and returns that Result as it is', async () => {
      const w = await seedWorld(side);
      const a = ApplicationMother.submitted(w);
      const refusal = err(new ConflictError('X.REFUSED', 'no'));
      let hooks = 0;
      const out = await side.uow.run(async (scope) => {
        await scope.applications.add(a);
        await scope.audit.record(entry(a.id));
        await scope.outbox.enqueue(event(a.id));
        scope.afterCommit(() => {
          hooks++;
        });
        return refusal;
      });
      expect(out).to.equal(refusal);
      expect(await side.uow.run((scope) => scope.applications.findById(a.id))).to.equal(null);
      expect([await side.committed.audit(a.id), await side.committed.outbox(a.id), hooks]).to.deep.equal([[], [], 0]);
    });

    it('lets a run read its own writes before it commits', async () => {
      await side.seedUnits(...UnitMother.university());
      const person = PersonMother.staff();
      const item = ServiceItemMother.pending();
      await side.uow.run(async (scope) => {
        await scope.personnel.upsert(person, T);
        expect(await scope.organisation.person(person.id)).to.deep.equal(person);
        await scope.serviceItems.add(item);
        expect((await scope.serviceItems.findByCode(item.code))?.id).to.equal(item.id);
        expect(await scope.roleAssignments.grant({ subject: person.id, role: 'handler', unit: 'finance' })).to.equal(
          true,
        );
        expect(await scope.roleAssignments.list({ subject: person.id })).to.deep.equal([
          { subject: person.id, role: 'handler', unit: 'finance', filingId: null },
        ]);
      });
      const w = await seedWorld(side);
      const a = ApplicationMother.submitted(w);
      await side.uow.run(async (scope) => {
        await scope.applications.add(a);
        const loaded = (await scope.applications.findById(a.id))!;
        expect(loaded.current.caseNumber).to.equal(a.current.caseNumber);
        expect((await scope.applications.entries(a.id)).map((h) => h.action)).to.deep.equal([
          'saved',
          'submitted',
          'node-activated',
        ]);
      });
    });

    it('commits an audit entry as recorded, the fields left out as null', async () => {
      const key = id();
      const full = entry(key, {
        unit: 'finance',
        before: { state: 'a' },
        after: { state: 'b', list: [1, '二'] },
        requestId: 'req-7',
        action: 'x.full',
      });
      const bare = entry(key, { action: 'x.bare' });
      await side.uow.run(async (scope) => {
        await scope.audit.record(full);
        await scope.audit.record(bare);
      });
      expect(await side.committed.audit(key)).to.deep.equal([
        full,
        { ...bare, unit: null, before: null, after: null, requestId: null },
      ]);
    });

    it('refuses a read on the pool, or a nested run, inside a run, and keeps nothing of that run', async () => {
      const key = id();
      for (const inner of [() => side.poolRead(), () => side.uow.run(async () => 1)]) {
        const thrown = await rejection(
          side.uow.run(async (scope) => {
            await scope.audit.record(entry(key));
            await inner();
          }),
        );
        expect(thrown.name).to.equal('SecondConnectionError');
      }
      expect(await side.committed.audit(key)).to.deep.equal([]);
      await side.poolRead(); // outside a run, the pool serves
    });

    it('commits concurrent runs one after the other: each case number they draw is drawn once', async () => {
      await side.seedUnits(...UnitMother.university());
      const key = id();
      const draw = () =>
        side.uow.run(async (scope) => {
          const n = await scope.caseNumbers.next({ year: 2031, unit: 'logistics' });
          await scope.audit.record(entry(key, { after: n }));
          return n.seq;
        });
      const seqs = await Promise.all([draw(), draw(), draw(), draw()]);
      expect([...seqs].sort()).to.deep.equal([1, 2, 3, 4]);
      expect((await side.committed.audit(key)).map((e) => (e.after as { seq: number }).seq).sort()).to.deep.equal([
        1, 2, 3, 4,
      ]);
    });
  });
}
