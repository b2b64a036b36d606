import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { AttachmentRecord, AttachmentStore } from '../../src/application/ports/attachment-store.port.js';
import { ApplicationMother } from '../mothers/application.mother.js';
import { rejection, type Side } from './sides.js';
import { seedWorld } from './world.js';

export interface AttachmentSide extends Side {
  store: AttachmentStore;
  /** Changes the stored bytes behind the store's back (a disk fault, or tampering). */
  corrupt(key: string): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const key = () => globalThis.crypto.randomUUID();

/** Attachment bytes (outside any transaction) and their metadata (in the unit of work), as the attachment use cases keep them. */
export function attachmentStoreContract(name: string, make: () => Promise<AttachmentSide>): void {
  describe(`AttachmentStore and AttachmentRepository contract: ${name}`, () => {
    let side: AttachmentSide;
    before(async () => {
      side = await make();
    });
    after(async () => {
      await side.close();
    });

    describe('AttachmentStore', () => {
      it('gives back the bytes it was given, with their SHA-256, which put returned too', async () => {
        for (const content of [Buffer.from('发票 invoice.pdf\n'), Buffer.from([0, 255, 0, 1, 2, 3]), Buffer.alloc(0)]) {
          const k = key();
          expect(await side.store.put(k, content)).to.deep.equal({ sha256: sha256(content) });
          const back = await side.store.get(k);
          expect(back && Buffer.compare(back.content, content)).to.equal(0);
          expect(back!.sha256).to.equal(sha256(content));
        }
      });

      it('replaces the bytes of a key put again', async () => {
        const k = key();
        await side.store.put(k, Buffer.from('first'));
        await side.store.put(k, Buffer.from('second, longer'));
        expect((await side.store.get(k))!.content.toString()).to.equal('second, longer');
      });

      it('answers null for a key never put or removed; removing twice, or a key never put, is no error', async () => {
        const k = key();
        expect(await side.store.get(k)).to.equal(null);
        await side.store.put(k, Buffer.from('x'));
        await side.store.remove(k);
        expect(await side.store.get(k)).to.equal(null);
        await side.store.remove(k);
        await side.store.remove(key());
      });

      it('keeps its own copy: changing the buffer put, or the one got, changes nothing stored', async () => {
        const k = key();
        const content = Buffer.from('original');
        await side.store.put(k, content);
        content.write('CHANGED!');
        (await side.store.get(k))!.content.write('changed!');
        expect((await side.store.get(k))!.content.toString()).to.equal('original');
      });

      it('shows bytes changed behind its back: the SHA-256 read differs from the one put returned', async () => {
        const k = key();
        const { sha256: put } = await side.store.put(k, Buffer.from('signed form'));
        await side.corrupt(k);
        const back = (await side.store.get(k))!;
        expect(back.sha256).to.not.equal(put);
        expect(back.sha256).to.equal(sha256(back.content));
      });

      it("refuses a key that is not a uuid (the use cases key bytes by the attachment's id)", async () => {
        for (const bad of ['../etc/passwd', 'invoice.pdf', '']) {
          expect((await rejection(side.store.put(bad, Buffer.from('x')))).message, bad).to.match(/uuid/);
          expect((await rejection(side.store.get(bad))).message, bad).to.match(/uuid/);
        }
      });
    });

    describe('AttachmentRepository', () => {
      let applicationId: string;
      let other: string;
      const record = (o: Partial<AttachmentRecord> = {}): AttachmentRecord => ({
        id: key(),
        applicationId,
        uploadedBy: '2026110101',
        fileName: '发票.pdf',
        contentType: 'application/pdf',
        size: 1234,
        sha256: sha256(Buffer.from('x')),
        createdAt: new Date('2026-11-24T02:00:00.123Z'),
        ...o,
      });
      before(async () => {
        const w = await seedWorld(side);
        const [a, b] = [
          ApplicationMother.submitted(w, { caseNumber: '2026-CW-200001' }),
          ApplicationMother.submitted(w, { caseNumber: '2026-CW-200002' }),
        ];
        await side.uow.run(async (s) => {
          await s.applications.add(a);
          await s.applications.add(b);
        });
        [applicationId, other] = [a.id, b.id];
      });

      it('round-trips a record, and answers null for an unknown id', async () => {
        const r = record();
        await side.uow.run((s) => s.attachments.add(r));
        expect(await side.uow.run((s) => s.attachments.findById(r.id))).to.deep.equal(r);
        expect(await side.uow.run((s) => s.attachments.findById(key()))).to.equal(null);
      });

      it("lists an application's records oldest first, and no other application's", async () => {
        const late = record({ createdAt: new Date('2026-11-24T05:00:00.000Z'), fileName: 'late.png' });
        const early = record({ createdAt: new Date('2026-11-24T01:00:00.000Z'), fileName: 'early.png' });
        await side.uow.run(async (s) => {
          await s.attachments.add(late);
          await s.attachments.add(early);
          await s.attachments.add(record({ applicationId: other }));
        });
        const listed = await side.uow.run((s) => s.attachments.listByApplication(applicationId));
        expect(listed.filter((r) => [late.id, early.id].includes(r.id))).to.deep.equal([early, late]);
        expect(listed.every((r) => r.applicationId === applicationId)).to.equal(true);
        expect(await side.uow.run((s) => s.attachments.listByApplication(key()))).to.deep.equal([]);
      });

      it('keeps no record of a unit of work that rolls back, and refuses an id in use', async () => {
        const r = record();
        await rejection(
          side.uow.run(async (s) => {
            await s.attachments.add(r);
            throw new Error('refused');
          }),
        );
        expect(await side.uow.run((s) => s.attachments.findById(r.id))).to.equal(null);
        await side.uow.run((s) => s.attachments.add(r));
        await rejection(side.uow.run((s) => s.attachments.add({ ...r, fileName: 'other.pdf' })));
        expect((await side.uow.run((s) => s.attachments.findById(r.id)))!.fileName).to.equal(r.fileName);
      });
    });
  });
}
