import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedDemoServiceItems } from '../../src/adapters/composition/demo.js';
import { setEnv } from '../fixtures/process-env.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The `hall` commands run in process, against the same database and rules as the API. */
describe('hall CLI (in process)', function () {
  this.timeout(60_000);
  let t: TestApp;
  const directoryFile = path.join(tmpdir(), `hall-directory-${process.pid}.csv`);
  const env = {
    DIRECTORY_FILE: directoryFile,
    DATABASE_URL: '',
    SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'development',
  };
  let restoreEnv = () => {};
  before(async () => {
    t = await createTestApp();
    await t.db.knex('people').insert([
      { id: 'T0900', name: '新教师', type: 'staff', unit_key: 'finance', status: 'active' },
      { id: 'T0901', name: '已退休', type: 'staff', unit_key: 'finance', status: 'retired' },
    ]);
    await seedDemoServiceItems(t.container, pino({ level: 'silent' }));
    // the commands read their configuration from the environment, as from a shell
    restoreEnv = setEnv({ ...env, DATABASE_URL: t.db.url });
  });
  after(async () => {
    restoreEnv();
    await t.close();
    await rm(directoryFile, { force: true });
  });

  const hall = (...args: string[]) => runCommand(args, { root });

  it("perm grant grants as the operator, audited with the operator's id", async () => {
    const { stdout, error } = await hall(
      'perm',
      'grant',
      '--operator',
      'T0002',
      '--subject',
      'T0900',
      '--role',
      'handler',
      '--unit',
      'finance',
    );
    expect(error, String(error?.message)).to.equal(undefined);
    expect(stdout).to.contain('granted handler in finance to T0900');
    const audit = await t.db.knex('audit_log').where({ action: 'role.granted', entity_id: 'T0900' }).first();
    expect(audit.actor_id).to.equal('T0002');
    expect(audit.request_id).to.match(/^cli-/);
  });

  it('refuses what the rules refuse: a retired person, an untrained admin; exit code 2 with the reason', async () => {
    const retired = await hall(
      'perm',
      'grant',
      '--operator',
      'T0002',
      '--subject',
      'T0901',
      '--role',
      'handler',
      '--unit',
      'finance',
    );
    expect(retired.error?.oclif?.exit).to.equal(2);
    expect(retired.error?.message).to.contain('retired');
    const untrained = await hall(
      'perm',
      'grant',
      '--operator',
      'T0002',
      '--subject',
      'T0900',
      '--role',
      'unit-service-admin',
      '--unit',
      'finance',
    );
    expect(untrained.error?.oclif?.exit).to.equal(2);
    expect(untrained.error?.message).to.contain('Art. 17');
  });

  it('refuses an operator who is not the IT Office, or not in the directory', async () => {
    const notIt = await hall(
      'perm',
      'grant',
      '--operator',
      'T0301',
      '--subject',
      'T0900',
      '--role',
      'handler',
      '--unit',
      'academic-affairs',
    );
    expect(notIt.error?.message).to.contain('AUTH.FORBIDDEN');
    const unknown = await hall('perm', 'list', '--operator', 'nobody');
    expect(unknown.error?.message).to.contain('not active staff');
  });

  it('perm list and revoke, with --json', async () => {
    const listed = await hall('perm', 'list', '--operator', 'T0002', '--subject', 'T0900', '--json');
    expect(JSON.parse(listed.stdout)).to.deep.equal({
      items: [{ subject: 'T0900', role: 'handler', unit: 'finance', filingId: null }],
    });
    const revoked = await hall(
      'perm',
      'revoke',
      '--operator',
      'T0002',
      '--subject',
      'T0900',
      '--role',
      'handler',
      '--unit',
      'finance',
      '--json',
    );
    expect(JSON.parse(revoked.stdout)).to.deep.equal({ subject: 'T0900', role: 'handler', unit: 'finance' });
    const again = await hall(
      'perm',
      'revoke',
      '--operator',
      'T0002',
      '--subject',
      'T0900',
      '--role',
      'handler',
      '--unit',
      'finance',
    );
    expect(again.error?.message).to.contain('ROLE.NOT_HELD');
  });

  it('db status shows the schema current; db migrate has nothing to apply', async () => {
    const status = await hall('db', 'status', '--json');
    expect(JSON.parse(status.stdout).pending).to.deep.equal([]);
    const migrate = await hall('db', 'migrate');
    expect(migrate.stdout).to.contain('nothing to apply');
  });

  it('training record and list; the recorded certification lets an admin role be granted', async () => {
    const rec = await hall(
      'training',
      'record',
      '--operator',
      'T0002',
      '--person',
      'T0900',
      '--course',
      '服务事项管理员培训',
      '--passed',
      '2026-10-01',
      '--expires',
      '2027-09-30',
    );
    expect(rec.error, String(rec.error?.message)).to.equal(undefined);
    const listed = JSON.parse(
      (await hall('training', 'list', '--operator', 'T0002', '--person', 'T0900', '--json')).stdout,
    ) as { items: Array<{ course: string; expiresOn: string }> };
    expect(listed.items.map((c) => [c.course, c.expiresOn])).to.deep.equal([['服务事项管理员培训', '2027-09-30']]);
    const bad = await hall(
      'training',
      'record',
      '--operator',
      'T0002',
      '--person',
      'T0900',
      '--course',
      'x',
      '--passed',
      '2026-10-01',
      '--expires',
      'soon',
    );
    expect(bad.error?.message).to.contain('YYYY-MM-DD');
    const granted = await hall(
      'perm',
      'grant',
      '--operator',
      'T0002',
      '--subject',
      'T0900',
      '--role',
      'unit-service-admin',
      '--unit',
      'finance',
    );
    expect(granted.error, String(granted.error?.message)).to.equal(undefined);
  });

  it('service list and show give the lifecycle states and versions', async () => {
    const online = JSON.parse(
      (await hall('service', 'list', '--operator', 'T0002', '--state', 'online', '--json')).stdout,
    ) as { items: Array<{ code: string; state: string }> };
    expect(online.items.map((i) => i.code)).to.deep.equal(['HQ-SSTH', 'HQ-TS', 'JW-ZDZM', 'XB-GZSY', 'XG-QJ']);
    const shown = await hall('service', 'show', 'JW-ZDZM', '--operator', 'T0002');
    expect(shown.stdout).to.contain('JW-ZDZM 在读证明开具 — online');
    expect(shown.stdout).to.match(/v1 online launched/);
    const unknown = await hall('service', 'show', 'XX-NONE', '--operator', 'T0002');
    expect(unknown.error?.oclif?.exit).to.equal(2);
  });

  it('service bpmn export writes a version as BPMN 2.0; import is refused for an item without a draft (exit 2)', async () => {
    const file = path.join(tmpdir(), `hall-bpmn-${process.pid}.bpmn`);
    try {
      const out = await hall('service', 'bpmn', 'export', 'HQ-TS', '--operator', 'T0002', '--out', file);
      expect(out.error, String(out.error?.message)).to.equal(undefined);
      const xml = await readFile(file, 'utf8');
      expect(xml).to.contain('<bpmn:parallelGateway id="checks"').and.contain('<bpmndi:BPMNDiagram');
      const refused = await hall('service', 'bpmn', 'import', 'HQ-TS', file, '--operator', 'T0601');
      expect(refused.error?.oclif?.exit).to.equal(2);
      expect(String(refused.error?.message)).to.contain('SERVICE_ITEM.NO_DRAFT');
      const missing = await hall('service', 'bpmn', 'export', 'XX-NONE', '--operator', 'T0002');
      expect(missing.error?.oclif?.exit).to.equal(2);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('people offboard revokes roles and reports the hand-over, audited with the operator', async () => {
    const { stdout, error } = await hall(
      'people',
      'offboard',
      'T0900',
      '--operator',
      'T0002',
      '--status',
      'left',
      '--json',
    );
    expect(error, String(error?.message)).to.equal(undefined);
    const report = JSON.parse(stdout) as { status: string; rolesRevoked: unknown[]; tasks: unknown[] };
    expect(report.status).to.equal('left');
    expect(report.rolesRevoked).to.deep.equal([{ subject: 'T0900', role: 'unit-service-admin', unit: 'finance' }]);
    expect((await t.db.knex('people').where({ id: 'T0900' }).first()).status).to.equal('left');
    expect(
      (await t.db.knex('audit_log').where({ action: 'person.offboarded', entity_id: 'T0900' }).first()).actor_id,
    ).to.equal('T0002');
    const bad = await hall('people', 'offboard', 'T0901', '--operator', 'T0002', '--status', 'gone');
    expect(bad.error?.message).to.contain('Expected --status=gone to be one of');
  });

  it('people sync applies an HR export idempotently; someone who left is offboarded; unknown units are skipped', async () => {
    await t.db
      .knex('people')
      .insert({ id: 'T0970', name: '王老师', type: 'staff', unit_key: 'finance', status: 'active' });
    expect(
      (
        await hall(
          'perm',
          'grant',
          '--operator',
          'T0002',
          '--subject',
          'T0970',
          '--role',
          'handler',
          '--unit',
          'finance',
        )
      ).error,
    ).to.equal(undefined);
    await writeFile(
      directoryFile,
      [
        'id,name,type,unit,status,email',
        'T0970,王老师,staff,finance,left,',
        'T0971,"赵, 新老师",staff,academic-affairs,active,zhao@campus.example',
        'T0301,郑财务（处长）,staff,finance,active,',
        'T0972,某人,staff,no-such-unit,active,',
      ].join('\n'),
    );
    const first = JSON.parse((await hall('people', 'sync', '--operator', 'T0002', '--json')).stdout) as {
      added: string[];
      updated: Array<{ id: string; fields: string[] }>;
      offboarded: Array<{ personId: string; rolesRevoked: unknown[] }>;
      skipped: Array<{ id: string }>;
    };
    expect(first.added).to.deep.equal(['T0971']);
    expect(first.updated).to.deep.equal([
      { id: 'T0970', fields: ['status'] },
      { id: 'T0301', fields: ['name'] },
    ]);
    expect(first.offboarded.map((o) => [o.personId, o.rolesRevoked.length])).to.deep.equal([['T0970', 1]]);
    expect(first.skipped.map((x) => x.id)).to.deep.equal(['T0972']);
    expect((await t.db.knex('people').where({ id: 'T0971' }).first()).name).to.equal('赵, 新老师');
    const second = JSON.parse((await hall('people', 'sync', '--operator', 'T0002', '--json')).stdout) as {
      added: unknown[];
      updated: unknown[];
      unchanged: number;
    };
    expect([second.added, second.updated, second.unchanged]).to.deep.equal([[], [], 3]);
    const shown = await hall('people', 'show', 'T0970', '--operator', 'T0002');
    expect(shown.stdout).to.contain('T0970 王老师 (staff, finance) — left');
  });

  it('people sync refuses a malformed export whole, naming the bad lines, and changes nothing', async () => {
    await writeFile(
      directoryFile,
      'id,name,type,unit,status\nT0980,甲,staff,finance,active\nT0981,乙,teacher,finance,on-leave\n',
    );
    const res = await hall('people', 'sync', '--operator', 'T0002');
    expect(res.error?.oclif?.exit).to.equal(2);
    expect(res.error?.message).to.contain('entry 2');
    expect(await t.db.knex('people').where({ id: 'T0980' }).first()).to.equal(undefined);
  });
});
