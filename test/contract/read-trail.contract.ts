import { expect } from 'chai';
import type { DataRead, ReadTrail } from '../../src/application/ports/read-trail.port.js';
import type { Side } from './sides.js';

export interface ReadTrailSide extends Side {
  trail: ReadTrail;
}

const read = (o: Partial<DataRead> & { readerId: string; subjectId: string }, n: number): DataRead => ({
  at: new Date(Date.UTC(2026, 10, 30, 1, 0, n)),
  applicationId: '00000000-0000-4000-8000-000000000001',
  what: 'form',
  detail: null,
  requestId: `req-${n}`,
  ...o,
});

/** Reads of personal data, recorded from inside a reader's unit of work and listed per person, as the use cases do. */
export function readTrailContract(name: string, make: () => Promise<ReadTrailSide>): void {
  describe(`ReadTrail contract: ${name}`, () => {
    let side: ReadTrailSide;
    before(async () => {
      side = await make();
    });
    after(async () => {
      await side.close();
    });

    it("keeps reads recorded inside a unit of work; lists one person's, newest first, a page at a time", async () => {
      await side.uow.run(async () => {
        side.trail.record(read({ readerId: 'T0302', subjectId: '2024110101' }, 1));
        side.trail.record(read({ readerId: 'T0402', subjectId: '2024120202' }, 2));
        side.trail.record(read({ readerId: 'T0003', subjectId: '2024110101', what: 'attachment', detail: 'att-1' }, 3));
        side.trail.record(read({ readerId: 'T0002', subjectId: '2024110101', what: 'printout', detail: 'CODE-1' }, 4));
      });
      await side.trail.flush();
      const seen: Array<DataRead & { id: string }> = [];
      let cursor: string | undefined;
      do {
        const page = await side.trail.list({ subjectId: '2024110101', limit: 2, cursor });
        expect(page.items.length).to.be.at.most(2);
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.map((r) => [r.readerId, r.what, r.detail, r.requestId])).to.deep.equal([
        ['T0002', 'printout', 'CODE-1', 'req-4'],
        ['T0003', 'attachment', 'att-1', 'req-3'],
        ['T0302', 'form', null, 'req-1'],
      ]);
      expect(seen[2]!.at.toISOString()).to.equal('2026-11-30T01:00:01.000Z');
      expect((await side.trail.list({ subjectId: 'nobody', limit: 10 })).items).to.deep.equal([]);
    });
  });
}
