import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { eventually } from '../fixtures/eventually.js';
import { setEnv } from '../fixtures/process-env.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI is another process as far as a running instance is concerned: it hears of the ended sessions the same way. */
describe('hall people sync ends the sessions of people who left on running instances (in process)', function () {
  this.timeout(60_000);
  let t: TestApp;
  const directoryFile = path.join(tmpdir(), `hall-directory-sessions-${process.pid}.csv`);
  let restoreEnv = () => {};
  before(async () => {
    t = await createTestApp();
    await t.db.knex('people').insert([
      { id: 'T0990', name: '将离职', type: 'staff', unit_key: 'finance', status: 'active' },
      { id: 'T0991', name: '留任', type: 'staff', unit_key: 'finance', status: 'active' },
    ]);
    restoreEnv = setEnv({
      DIRECTORY_FILE: directoryFile,
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    });
  });
  after(async () => {
    restoreEnv();
    await t.close();
    await rm(directoryFile, { force: true });
  });

  it('the running instance refuses the sessions of the person who left within 1 s, and keeps the others', async () => {
    const sessions = t.container.ports.sessions;
    const leaving = await sessions.open({ personId: 'T0990', provider: 'local', at: new Date() });
    const staying = await sessions.open({ personId: 'T0991', provider: 'local', at: new Date() });
    const me = (token: string) => request(t.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    for (const s of [leaving, staying]) expect((await me(s.token)).status).to.equal(200);
    await writeFile(
      directoryFile,
      ['id,name,type,unit,status,email', 'T0990,将离职,staff,finance,left,', 'T0991,留任,staff,finance,active,'].join(
        '\n',
      ),
    );
    const sync = await runCommand(['people', 'sync', '--operator', 'T0002', '--json'], { root });
    expect(sync.error, String(sync.error?.message)).to.equal(undefined);
    const report = JSON.parse(sync.stdout) as { offboarded: Array<{ personId: string; sessionsEnded: number }> };
    expect(report.offboarded.map((o) => [o.personId, o.sessionsEnded])).to.deep.equal([['T0990', 1]]);
    await eventually(async () => (await me(leaving.token)).status === 401, 'the instance refuses the session', 1000);
    expect((await me(staying.token)).status).to.equal(200);
  });
});
