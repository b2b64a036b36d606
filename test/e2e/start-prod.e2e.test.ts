import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify as yaml } from 'yaml';
import { commandOf, HallProcess } from '../fixtures/hall-process.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';

/**
 * `npm run build && npm run start:prod`: the built hall runs on plain node, with no TypeScript
 * loader, and loads the bundled plugins (the SDK, the HTTP connector for CONNECTORS, the template
 * named in a YAML HALL_CONFIG) from their built JavaScript.
 */
describe('npm run start:prod: the build, with its plugins (e2e, real process)', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let dir: string;
  let hall: HallProcess | undefined;

  before(async () => {
    // the build under test is this tree's: built here, not whatever dist/ an earlier run left
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: process.cwd(), timeout: 240_000 });
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'hall-prod-'));
  });
  after(async () => {
    hall?.kill();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from dist/ on plain node and loads the plugins of CONNECTORS and of a YAML HALL_CONFIG', async () => {
    const config = path.join(dir, 'hall.config.yaml');
    await writeFile(
      config,
      yaml({
        plugins: {
          dormitory: {
            module: '@service-hall/plugin-example-dormitory',
            config: { url: 'http://127.0.0.1:9/dorm/' },
            secrets: { token: { env: 'HALL_TEST_DORM_TOKEN' } },
          },
        },
      }),
    );
    hall = await HallProcess.start({
      command: 'npm run start:prod',
      env: {
        DATABASE_URL: db.url,
        SESSION_SECRET: 'start-prod-secret-start-prod-secret-0123',
        SEED_DEMO: '0',
        NODE_ENV: 'production',
        HALL_CONFIG: config,
        HALL_TEST_DORM_TOKEN: 'dorm-token',
        CONNECTORS: JSON.stringify({ 'finance-reimbursement': { url: 'http://127.0.0.1:9/cases' } }),
      },
    });
    await hall.ready(120_000);
    const server = commandOf(hall.serverPid());
    expect(server, 'plain node on the build').to.contain('--conditions=production dist/src/main.js');
    expect(server).not.to.contain('tsx');
    const ready = (await (await fetch(`${hall.base}/readyz`)).json()) as { plugins: Array<{ plugin: string }> };
    expect(ready.plugins.map((p) => p.plugin).sort()).to.deep.equal(['dormitory', 'finance-reimbursement']);
    hall.signalGroup('SIGTERM');
    await hall.waitExit();
    expect(hall.output)
      .to.contain('"why":"SIGTERM"')
      .and.not.to.match(/FATAL|ERR_UNKNOWN_FILE_EXTENSION/);
  });
});
