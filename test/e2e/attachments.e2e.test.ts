import { expect } from 'chai';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement } from './application-helpers.js';

import { EXECUTABLE, JPEG_16X16, onePagePdf, PNG_1X1 as PNG } from '../fixtures/attachment-files.js';

let PDF: Buffer;

describe('attachments (e2e)', () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    PDF = await onePagePdf();
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-ATT', reimbursement('any'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  const upload = async (who: string, applicationId: string, name: string, type: string, body: Buffer) =>
    request(t.app)
      .post(`/api/v1/applications/${applicationId}/attachments?name=${encodeURIComponent(name)}`)
      .set('Authorization', `Bearer ${await t.login(who)}`)
      .set('Content-Type', type)
      .send(body);
  const download = async (who: string, id: string) =>
    request(t.app)
      .get(`/api/v1/attachments/${id}`)
      .set('Authorization', `Bearer ${await t.login(who)}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  it('the applicant attaches a PDF; its hash is stored and the bytes come back intact to those who may read', async () => {
    const a = await apply(t, itemId);
    const res = await upload('student-xx', a.id, '发票.pdf', 'application/pdf', PDF);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ fileName: '发票.pdf', contentType: 'application/pdf', size: PDF.length });
    expect(res.body.sha256).to.match(/^[0-9a-f]{64}$/);
    const got = await download('cw-handler', res.body.id);
    expect(got.status).to.equal(200);
    expect(Buffer.compare(got.body as Buffer, PDF)).to.equal(0);
    expect(got.headers['content-disposition']).to.contain(`filename*=UTF-8''${encodeURIComponent('发票.pdf')}`);
    expect(got.headers['x-content-type-options']).to.equal('nosniff');
    const listed = await as(t, 'student-xx').get(`/api/v1/applications/${a.id}/attachments`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).to.deep.equal([res.body.id]);
  });

  it('is never served to anyone without read access to the application', async () => {
    const a = await apply(t, itemId);
    const res = await upload('student-xx', a.id, 'a.png', 'image/png', PNG);
    expect((await download('student-hk', res.body.id)).status).to.equal(403);
    expect((await download('xg-admin', res.body.id)).status).to.equal(403);
    expect((await as(t, 'student-hk').get(`/api/v1/applications/${a.id}/attachments`)).status).to.equal(403);
    expect((await upload('student-hk', a.id, 'b.png', 'image/png', PNG)).status).to.equal(403);
  });

  it('refuses types outside the list, content that is not what it claims, empty and too large files', async () => {
    const a = await apply(t, itemId);
    const exe = await upload('student-xx', a.id, 'x.exe', 'application/octet-stream', Buffer.from('MZ...'));
    expect(exe.status).to.equal(400);
    expect(exe.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/name', '/Content-Type']);
    const fake = await upload(
      'student-xx',
      a.id,
      'fake.pdf',
      'application/pdf',
      Buffer.from('<script>alert(1)</script>'),
    );
    expect(fake.status).to.equal(400);
    expect(fake.body.errors[0].message).to.contain('is not application/pdf');
    const empty = await upload('student-xx', a.id, 'empty.pdf', 'application/pdf', Buffer.alloc(0));
    expect(empty.status).to.equal(400);
    const limit = t.container.config.attachmentMaxBytes;
    const big = await upload(
      'student-xx',
      a.id,
      'big.pdf',
      'application/pdf',
      Buffer.concat([PDF, Buffer.alloc(limit)]),
    );
    expect(big.status).to.equal(413);
    expect((await as(t, 'student-xx').get(`/api/v1/applications/${a.id}/attachments`)).body.items).to.deep.equal([]);
  });

  it('refuses a file that only starts like its type (a PDF header before an executable, a program after a PNG), naming the body', async () => {
    const a = await apply(t, itemId);
    const disguised = [
      ['invoice.pdf', 'application/pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), EXECUTABLE])],
      ['invoice.pdf', 'application/pdf', Buffer.concat([PDF, EXECUTABLE])],
      ['scan.png', 'image/png', Buffer.concat([PNG, EXECUTABLE])],
      ['photo.jpg', 'image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), EXECUTABLE])],
    ] as const;
    for (const [name, type, body] of disguised) {
      const res = await upload('student-xx', a.id, name, type, body);
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).to.equal(400);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code).to.equal('ATTACHMENT.INVALID');
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/body']);
      expect(res.body.errors[0].message).to.contain(`not a well-formed ${type} file`);
    }
    expect((await upload('student-xx', a.id, 'photo.jpg', 'image/jpeg', JPEG_16X16)).status).to.equal(201);
    expect((await as(t, 'student-xx').get(`/api/v1/applications/${a.id}/attachments`)).body.items).to.have.length(1);
  });

  it('refuses names with right-to-left overrides, other control characters, runnable or mismatched extensions', async () => {
    const a = await apply(t, itemId);
    for (const name of [
      'x.exe',
      'invoice\u202Efdp.exe',
      'invoice\u202Egnp.pdf',
      'a\u2066b.pdf',
      'x\u0085.pdf',
      'bill.exe.pdf',
      'scan.png',
    ]) {
      const res = await upload('student-xx', a.id, name, 'application/pdf', PDF);
      expect(res.status, `${JSON.stringify(name)}: ${JSON.stringify(res.body)}`).to.equal(400);
      expect(
        res.body.errors.map((e: { in: string; path: string }) => [e.in, e.path]),
        JSON.stringify(name),
      ).to.deep.equal([['query', '/name']]);
    }
    expect((await as(t, 'student-xx').get(`/api/v1/applications/${a.id}/attachments`)).body.items).to.deep.equal([]);
  });

  it('a name stored with a right-to-left override before names were checked is sent back and listed without it', async () => {
    const a = await apply(t, itemId);
    const res = await upload('student-xx', a.id, 'invoice.pdf', 'application/pdf', PDF);
    await t.db.knex('attachments').where({ id: res.body.id }).update({ file_name: 'invoice\u202Efdp.exe' });
    const got = await download('student-xx', res.body.id);
    expect(got.status).to.equal(200);
    expect(got.headers['content-disposition']).to.contain(`filename*=UTF-8''${encodeURIComponent('invoicefdp.exe')}`);
    expect(got.headers['content-disposition']).to.not.contain('%E2%80%AE');
    const listed = await as(t, 'student-xx').get(`/api/v1/applications/${a.id}/attachments`);
    expect(listed.body.items.map((x: { fileName: string }) => x.fileName)).to.deep.equal(['invoicefdp.exe']);
  });

  it('handlers of the current step attach too; nobody attaches once the application has ended', async () => {
    let a = await apply(t, itemId);
    await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim');
    expect((await upload('cw-handler', a.id, '审核意见.pdf', 'application/pdf', PDF)).status).to.equal(201);
    a = (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'reject', { reason: '材料不全' })).body;
    expect((await upload('student-xx', a.id, 'late.pdf', 'application/pdf', PDF)).status).to.equal(409);
  });

  it('a file altered on disk is not served', async () => {
    const a = await apply(t, itemId);
    const res = await upload('student-xx', a.id, 'x.pdf', 'application/pdf', PDF);
    const root = path.join(t.container.config.dataDir, 'attachments');
    const dir = path.join(root, (res.body.id as string).slice(0, 2));
    expect(await readdir(dir)).to.include(res.body.id);
    await writeFile(path.join(dir, res.body.id), Buffer.from('%PDF-1.7 altered'));
    const got = await download('student-xx', res.body.id);
    expect(got.status).to.equal(500);
  });
});
