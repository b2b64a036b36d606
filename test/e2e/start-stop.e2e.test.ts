import { expect } from 'chai';
import { request } from 'node:http';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateLatest, migrationConfig } from '../../src/adapters/driven/knex/migration-source.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/test-database.js';
import { HallProcess, isAlive, until } from '../fixtures/hall-process.js';

/**
 * The hall starts and stops like a well-behaved service, as real processes: `npm start` on the
 * embedded PostgreSQL, and the API on an external database as `npm run start:prod` runs it.
 */
describe('starting and stopping the hall (e2e, real processes)', function () {
  this.timeout(240_000);

  describe('npm start on the embedded PostgreSQL', () => {
    let dataDir: string;
    let hall: HallProcess | undefined;

    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'hall-stop-'));
      await chmod(dataDir, 0o755);
    });
    afterEach(() => {
      hall?.kill();
      const pg = HallProcess.postgresPid(dataDir);
      if (pg && isAlive(pg)) process.kill(pg, 'SIGKILL');
    });
    after(async () => {
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    });

    const start = async () => {
      hall = await HallProcess.start({
        command: 'npm start',
        env: { HALL_DATA_DIR: dataDir, DATABASE_URL: undefined },
      });
      await hall.ready();
      return hall;
    };
    const postgres = () => {
      const pid = HallProcess.postgresPid(dataDir);
      expect(pid, 'the embedded PostgreSQL runs').to.be.a('number');
      return pid!;
    };

    it('once ready, prints one line with the API, docs and metrics URLs and where the demo accounts are', async () => {
      const h = await start();
      await until('the ready line', () => h.output.includes('Service Hall is ready'));
      const line = h.output.split('\n').find((l) => l.includes('Service Hall is ready'))!;
      const { base } = h;
      expect(line)
        .to.contain(`API ${base}/api/v1`)
        .and.to.contain(`docs ${base}/api/docs`)
        .and.to.contain(`metrics ${base}/metrics`)
        .and.to.contain('demo accounts in README.md');
      expect(JSON.parse(line), 'JSON lines when stdout is not a terminal').to.include({ level: 30 });
    });

    it('Ctrl-C (SIGINT to the group): requests in flight finish, then the worker, the pools and PostgreSQL stop, with no FATAL', async () => {
      const h = await start();
      const pg = postgres();
      // a request in flight: its body arrives only after the signal
      const body = JSON.stringify({ username: 'student-xx', password: 'not-the-password' });
      const answered = new Promise<number>((resolve, reject) => {
        const req = request(
          `${h.base}/api/v1/auth/login`,
          { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 1500);
      });
      await new Promise((r) => setTimeout(r, 300));
      h.signalGroup('SIGINT');
      expect(await answered, 'the request in flight was answered').to.equal(401);
      await h.waitExit();
      await until('PostgreSQL to stop', () => !isAlive(pg));
      expect(h.output).to.contain('shutting down').and.to.contain('"msg":"Service Hall stopped"');
      expect(h.output).not.to.match(/FATAL|terminating connection/);
      const order = ['requests', 'job worker', 'listeners and pools', 'embedded PostgreSQL'].map((what) =>
        h.output.indexOf(`"what":"${what}"`),
      );
      expect(
        order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!)),
        `stopped in order: ${order.join(', ')}`,
      ).to.equal(true);
    });

    it('SIGTERM stops it the same way', async () => {
      const h = await start();
      const pg = postgres();
      h.signalGroup('SIGTERM');
      await h.waitExit();
      // the group's SIGTERM also reaches PostgreSQL, whose own shutdown may take a while on a loaded machine
      await until('PostgreSQL to stop', () => !isAlive(pg), 60_000);
      expect(h.output).to.contain('"why":"SIGTERM"').and.not.to.match(/FATAL/);
    });

    it('killing `npm start` (SIGKILL) leaves neither the server nor PostgreSQL running', async () => {
      const h = await start();
      const pg = postgres();
      const server = h.serverPid();
      process.kill(h.child.pid!, 'SIGKILL');
      await until('the server to stop', () => !isAlive(server));
      await until('PostgreSQL to stop', () => !isAlive(pg));
      expect(h.output).to.contain('parent process gone');
    });

    it('a server killed outright (SIGKILL) does not leave PostgreSQL running', async () => {
      const h = await start();
      const pg = postgres();
      process.kill(h.serverPid(), 'SIGKILL');
      await until('PostgreSQL to stop', () => !isAlive(pg));
      // and the data folder starts again
      h.kill();
      await start();
    });
  });

  describe('on an external database with a pending migration (as npm run start:prod)', () => {
    let db: TestDatabase;
    let last: string;
    let hall: HallProcess | undefined;
    const env = () => ({
      DATABASE_URL: db.url,
      SESSION_SECRET: 'start-test-secret-start-test-secret-0123',
      SEED_DEMO: '0',
      NODE_ENV: 'production',
    });

    beforeEach(async () => {
      db = await createTestDatabase();
      last = ((await db.knex.migrate.down(migrationConfig())) as [number, string[]])[1][0]!;
    });
    afterEach(async () => {
      hall?.kill();
      await db.drop();
    });

    it('stays alive but unready, naming the migration and the command, until an operator migrates', async () => {
      hall = await HallProcess.start({ command: 'node', env: { ...env(), MIGRATE_ON_START: undefined } });
      await until('an answer', async () => (await hall!.readyz()) !== null, 60_000);
      const unready = (await hall.readyz())!;
      expect(unready.status).to.equal(503);
      expect(unready.body.reason).to.contain(last).and.to.contain('hall db migrate');
      expect((await fetch(`${hall.base}/healthz`)).status).to.equal(200);
      const api = await fetch(`${hall.base}/api/v1/catalogue`);
      expect([api.status, api.headers.get('content-type'), api.headers.get('retry-after')]).to.deep.equal([
        503,
        'application/problem+json',
        '5',
      ]);
      expect(await db.knex('knex_migrations').where({ name: last }).first(), 'nothing migrated by the start').to.equal(
        undefined,
      );
      await migrateLatest(db.knex);
      await hall.ready(60_000);
      expect(hall.output).to.contain('migrations applied by an operator');
    });

    it('with MIGRATE_ON_START=1 it migrates at start and becomes ready', async () => {
      hall = await HallProcess.start({ command: 'node', env: { ...env(), MIGRATE_ON_START: '1' } });
      await hall.ready(60_000);
      expect(await db.knex('knex_migrations').where({ name: last }).first()).to.not.equal(undefined);
    });
  });
});
