import { expect } from 'chai';
import { AttachmentsUseCase } from '../../../../src/application/applications/attachments.use-case.js';
import type { UnitOfWork } from '../../../../src/application/ports/unit-of-work.port.js';
import type { InputError } from '../../../../src/domain/shared/errors.js';
import { failure, value } from '../../../fixtures/result.js';
import { ApplicationMother } from '../../../mothers/application.mother.js';
import { ActorMother } from '../../../mothers/organisation.mother.js';
import { cast, hallWithItem, openTask } from '../hall.scenario.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** A submitted application whose review the handler has claimed; the hall allows 1 KiB and 3 files. */
function setup() {
  const s = hallWithItem();
  const a = s.stored((w) => {
    const app = ApplicationMother.submitted(w);
    app.claim(openTask(app, 'check').id, cast.handler.id, true, new Date('2026-11-24T00:00:00Z'));
    return app;
  });
  const uc = new AttachmentsUseCase(s.hall);
  const upload = (
    who: { id: string },
    o: { applicationId?: string; fileName?: string; contentType?: string; content?: Buffer } = {},
  ) =>
    uc.upload({
      actor: ActorMother.of(who.id),
      applicationId: o.applicationId ?? a.id,
      fileName: o.fileName ?? '发票.pdf',
      contentType: o.contentType ?? 'application/pdf',
      content: o.content ?? pdf,
    });
  return { ...s, a, uc, upload };
}

describe('AttachmentsUseCase', () => {
  it('stores what the applicant uploads, its metadata and audit entry committed together', async () => {
    const { hall, a, upload } = setup();
    const view = value(
      await upload(cast.applicant, { fileName: 'C:\\scans\\发票.pdf', contentType: 'application/pdf; charset=binary' }),
    );
    expect(view).to.deep.include({
      applicationId: a.id,
      uploadedBy: cast.applicant.id,
      fileName: '发票.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      createdAt: hall.clock.now().toISOString(),
    });
    expect(hall.attachments.files.get(view.id)).to.deep.equal(pdf);
    expect(hall.db.state.attachments.get(view.id)!.sha256)
      .to.equal(view.sha256)
      .and.match(/^[0-9a-f]{64}$/);
    expect(hall.audit.map((e) => [e.action, e.entityId, e.after])).to.deep.equal([
      ['attachment.added', a.id, { attachment: view.id, fileName: '发票.pdf', sha256: view.sha256, size: pdf.length }],
    ]);
  });

  it('lets the handler of an open task upload too', async () => {
    const { upload } = setup();
    expect(
      value(await upload(cast.handler, { fileName: 'scan.png', contentType: 'image/png', content: png })).uploadedBy,
    ).to.equal(cast.handler.id);
  });

  it('refuses a bad file, naming every problem, before storing anything', async () => {
    const { hall, upload } = setup();
    const paths = async (o: Parameters<typeof upload>[1]) =>
      (failure(await upload(cast.applicant, o)) as InputError).problems.map((p) => p.path);
    expect(await paths({ contentType: 'text/plain' })).to.deep.equal(['/Content-Type']);
    expect(await paths({ fileName: 'scan.png', contentType: 'image/png' }), 'the bytes are a PDF').to.deep.equal([
      '/Content-Type',
    ]);
    expect(await paths({ fileName: '..', content: Buffer.alloc(0) })).to.deep.equal([
      '/name',
      '/Content-Type',
      '/body',
    ]);
    expect(await paths({ content: Buffer.concat([pdf, Buffer.alloc(1024)]) })).to.deep.equal(['/body']);
    expect(failure(await upload(cast.applicant, { contentType: 'text/plain' })).code).to.equal('ATTACHMENT.INVALID');
    expect([hall.attachments.files.size, hall.uow.outcomes]).to.deep.equal([0, []]);
  });

  it('refuses people who neither applied nor hold an open task, and removes the bytes it had put', async () => {
    const { hall, upload } = setup();
    const before = hall.db.dump();
    expect(failure(await upload(cast.colleague)).code, 'a pool member who has not claimed').to.equal(
      'ATTACHMENT.NOT_ALLOWED',
    );
    expect(failure(await upload(cast.auditor)).code).to.equal('ATTACHMENT.NOT_ALLOWED');
    expect(failure(await upload(cast.applicant, { applicationId: 'unknown' })).code).to.equal('APPLICATION.NOT_FOUND');
    expect(hall.attachments.files.size).to.equal(0);
    expect(hall.db.dump()).to.deep.equal(before);
  });

  it('refuses files for an ended application, and past the limit per application', async () => {
    const { hall, stored, upload } = setup();
    const ended = stored((w) => ApplicationMother.completed(w, { form: { amount: 5 } }));
    expect(failure(await upload(cast.applicant, { applicationId: ended.id })).code).to.equal(
      'ATTACHMENT.APPLICATION_ENDED',
    );
    for (let i = 0; i < hall.attachmentMaxFiles; i++) value(await upload(cast.applicant));
    expect(failure(await upload(cast.applicant)).code).to.equal('ATTACHMENT.TOO_MANY');
    expect([hall.attachments.files.size, hall.db.state.attachments.size]).to.deep.equal([3, 3]);
  });

  it('refuses names with control or bidirectional characters, runnable extensions, or an extension not of the type', async () => {
    const { hall, upload } = setup();
    const refused = async (fileName: string, contentType = 'application/pdf', content = pdf) =>
      (failure(await upload(cast.applicant, { fileName, contentType, content })) as InputError).problems;
    for (const name of [
      'invoice\u202Efdp.exe',
      'invoice\u202Egnp.pdf',
      'scan\u200F.pdf',
      'tab\tname.pdf',
      'bell\u0007.pdf',
      'c1\u0085.pdf',
      'x.exe',
      'x.exe.pdf',
      'x.pdf.js',
      'x.png',
      'x',
    ]) {
      const problems = await refused(name);
      expect(
        problems.map((p) => p.path),
        name,
      ).to.deep.equal(['/name']);
    }
    expect((await refused('scan.pdf', 'image/png', png)).map((p) => p.message)).to.deep.equal([
      'the name of a image/png file ends with .png',
    ]);
    expect(
      value(
        await upload(cast.applicant, {
          fileName: '照片.JPEG',
          contentType: 'image/jpeg',
          content: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
        }),
      ).fileName,
    ).to.equal('照片.JPEG');
    expect(hall.db.state.attachments.size).to.equal(1);
  });

  it('refuses content whose whole structure is not of its type, naming the body, before storing anything', async () => {
    const { hall, upload } = setup();
    const disguised = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('MZ\x90\x00')]);
    hall.inspector.refuse(disguised, 'it does not end with a PDF trailer');
    const problems = (failure(await upload(cast.applicant, { content: disguised })) as InputError).problems;
    expect(problems).to.deep.equal([
      { path: '/body', message: 'not a well-formed application/pdf file: it does not end with a PDF trailer' },
    ]);
    expect(hall.inspector.inspected).to.deep.equal(['application/pdf']);
    expect([hall.attachments.files.size, hall.uow.outcomes]).to.deep.equal([0, []]);
  });

  it('removes the bytes when the transaction fails, and lets the failure through', async () => {
    const { hall } = setup();
    const broken: UnitOfWork = {
      run: async () => {
        throw new Error('connection terminated');
      },
    };
    const uc = new AttachmentsUseCase({ ...hall, uow: broken });
    let thrown: unknown;
    try {
      await uc.upload({
        actor: ActorMother.of(cast.applicant.id),
        applicationId: 'any',
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        content: pdf,
      });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).to.equal('connection terminated');
    expect(hall.attachments.files.size).to.equal(0);
  });

  it('lists and serves attachments to those who may read the application only', async () => {
    const { uc, a, upload } = setup();
    const added = value(await upload(cast.applicant));
    expect(
      value(await uc.list({ actor: ActorMother.of(cast.auditor.id), applicationId: a.id })).items.map((x) => x.id),
    ).to.deep.equal([added.id]);
    expect(
      value(await uc.download({ actor: ActorMother.of(cast.handler.id), attachmentId: added.id })).content,
    ).to.deep.equal(pdf);
    expect(failure(await uc.list({ actor: ActorMother.of(cast.outsider.id), applicationId: a.id })).code).to.equal(
      'AUTH.FORBIDDEN',
    );
    expect(
      failure(await uc.download({ actor: ActorMother.of(cast.outsider.id), attachmentId: added.id })).code,
    ).to.equal('AUTH.FORBIDDEN');
    expect(
      failure(await uc.download({ actor: ActorMother.of(cast.applicant.id), attachmentId: 'unknown' })).code,
    ).to.equal('ATTACHMENT.NOT_FOUND');
  });

  it("leaves a read trace when anyone but the applicant downloads the applicant's file", async () => {
    const { hall, uc, a, upload } = setup();
    const added = value(await upload(cast.applicant));
    value(await uc.download({ actor: ActorMother.of(cast.applicant.id), attachmentId: added.id }));
    value(await uc.download({ actor: ActorMother.of(cast.handler.id), attachmentId: added.id }));
    failure(await uc.download({ actor: ActorMother.of(cast.outsider.id), attachmentId: added.id }));
    expect(hall.readTrail.reads.map((r) => [r.readerId, r.subjectId, r.applicationId, r.what, r.detail])).to.deep.equal(
      [[cast.handler.id, cast.applicant.id, a.id, 'attachment', added.id]],
    );
  });

  it('will not serve bytes that no longer match their hash', async () => {
    const { hall, uc, upload } = setup();
    const added = value(await upload(cast.applicant));
    hall.attachments.files.set(added.id, Buffer.from('%PDF-1.7 altered'));
    let thrown: unknown;
    try {
      await uc.download({ actor: ActorMother.of(cast.applicant.id), attachmentId: added.id });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).to.contain('does not match its hash');
  });
});
