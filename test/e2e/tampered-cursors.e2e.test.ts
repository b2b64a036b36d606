import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { apply, reimbursement } from './application-helpers.js';

const cursor = (key: unknown) => Buffer.from(JSON.stringify({ k: key })).toString('base64url');
const UUID = '0b6f5d1e-6a43-4a39-9d4e-3c2b1a0f9e8d';

/** Shapes a cursor may be tampered into; each list must refuse all of them. */
const TAMPERED = {
  notBase64: '%%%not-base64%%%',
  notJson: Buffer.from('{"k":').toString('base64url'),
  notAnObject: Buffer.from('null').toString('base64url'),
  keyNotAString: cursor(12),
  nul: cursor('CW-A\u0000'),
};
/** Lists ordered by (created_at, id). */
const INSTANT_ID = {
  ...TAMPERED,
  instantNotIso: cursor(`0|${UUID}`),
  noSuchDay: cursor(`2026-02-31T00:00:00.000Z|${UUID}`),
  idNotUuid: cursor('2026-01-01T00:00:00.000Z|------------------------------------'),
  noSeparator: cursor('garbage'),
  extraPart: cursor(`2026-01-01T00:00:00.000Z|${UUID}|x`),
};
/** Lists ordered by a bigint sequence. */
const SEQ = { ...TAMPERED, negative: cursor('-1'), fraction: cursor('1.5'), tooLarge: cursor('99999999999999999999') };
/** Lists ordered by service item code. */
const CODE = { ...TAMPERED, tooLong: cursor(`A${'B'.repeat(100)}`), space: cursor('CW A') };

describe('tampered pagination cursors (e2e)', () => {
  let t: TestApp;
  let applicationId: string;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    ({ itemId } = await onlineItem(t, 'CW-CUR', reimbursement('any')));
    applicationId = (await apply(t, itemId)).id;
    await apply(t, itemId);
  });
  after(async () => {
    await t.close();
  });

  const lists = (): Array<[string, string, Record<string, string>]> => [
    ['student-xx', '/api/v1/catalogue', CODE],
    ['cw-admin', '/api/v1/service-items', CODE],
    ['student-xx', '/api/v1/applications', INSTANT_ID],
    ['cw-handler', '/api/v1/me/tasks', INSTANT_ID],
    ['cw-handler', '/api/v1/me/messages', INSTANT_ID],
    ['auditor', '/api/v1/audit-entries', SEQ],
    ['auditor', `/api/v1/applications/${applicationId}/history`, SEQ],
    // (submitted_at, id) bound to the filters: every instant-and-id shape is refused as well
    ['cw-admin', `/api/v1/service-items/${itemId}/applications`, INSTANT_ID],
  ];

  it('every paginated list answers 400 problem+json naming the cursor parameter, never 500', async () => {
    for (const [who, path, cursors] of lists()) {
      for (const [how, c] of Object.entries(cursors)) {
        const res = await as(t, who).get(`${path}?cursor=${encodeURIComponent(c)}`);
        const label = `${path} ${how}: ${JSON.stringify(res.body)}`;
        expect(res.status, label).to.equal(400);
        expect(res.headers['content-type'], label).to.match(/^application\/problem\+json/);
        expect(res.body.code, label).to.equal('PAGINATION.BAD_CURSOR');
        expect(
          res.body.errors.map((e: { in: string; path: string }) => [e.in, e.path]),
          label,
        ).to.deep.equal([['query', '/cursor']]);
      }
    }
  });

  it('the cursors the lists issue still page through them', async () => {
    for (const [who, path] of lists()) {
      const first = await as(t, who).get(`${path}?limit=1`);
      expect(first.status, `${path}: ${JSON.stringify(first.body)}`).to.equal(200);
      const next = (first.body.nextCursor ?? first.body.historyNextCursor) as string | null;
      if (!next) continue;
      const second = await as(t, who).get(`${path}?limit=1&cursor=${next}`);
      expect(second.status, `${path}: ${JSON.stringify(second.body)}`).to.equal(200);
    }
  });
});
