import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/adapters/driven/embedded-postgres/embedded-database.js';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';

/** `npm start` as a person runs it: a real process, embedded PostgreSQL, demo data. */
describe('npm start on an empty data folder (e2e, real process)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hall-start-'));
    await chmod(dataDir, 0o755);
  });
  after(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  async function start(): Promise<string> {
    const port = await freePort();
    output = '';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      HALL_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    child = spawn('npm', ['start', '--silent'], {
      cwd: process.cwd(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      try {
        const r = await fetch(`${base}/readyz`);
        if (r.status === 200) return base;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`npm start did not become ready:\n${output}`);
  }

  async function stop(): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    process.kill(-c.pid!, 'SIGTERM');
    await exited;
    // npm may exit before the server has stopped its PostgreSQL: wait for the postmaster to go
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    for (let i = 0; i < 200 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(pidFile), 'embedded PostgreSQL stopped with the server').to.equal(false);
  }

  async function catalogueCodes(base: string): Promise<string[]> {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'student-xx', password: DEMO_PASSWORD }),
    });
    expect(login.status).to.equal(200);
    const { token } = (await login.json()) as { token: string };
    const cat = await fetch(`${base}/api/v1/catalogue`, { headers: { authorization: `Bearer ${token}` } });
    return ((await cat.json()) as { items: Array<{ code: string }> }).items.map((i) => i.code);
  }

  it('answers /readyz and serves the demo catalogue', async () => {
    const base = await start();
    expect(await catalogueCodes(base)).to.deep.equal(['HQ-SSTH', 'HQ-TS', 'JW-ZDZM', 'XB-GZSY', 'XG-QJ']);
    expect(output).to.match(/"msg":"request"/);
    await stop();
  });

  it('starts again on the same data without duplicating or failing', async () => {
    const base = await start();
    expect(await catalogueCodes(base)).to.deep.equal(['HQ-SSTH', 'HQ-TS', 'JW-ZDZM', 'XB-GZSY', 'XG-QJ']);
    expect(output).to.not.match(/demo service item online/);
    await stop();
  });
});
