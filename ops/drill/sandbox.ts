import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freePort,
  startDisposableDatabase,
  type DisposableDatabase,
} from '../../src/adapters/composition/disposable-database.js';
import { HallChild } from './hall-child.js';
import { BusinessSystemPeer, CasPeer, DataPlatformPeer } from './peers.js';
import { TcpProxy } from './tcp-proxy.js';

/** The connector the sandbox configures for the demo's dormitory item (宿舍调换申请). */
export const SANDBOX_CONNECTOR = 'dormitory-system';

/**
 * A disposable hall for a drill: its own PostgreSQL (embedded, in a temporary folder) reached
 * through a TCP relay the drill can cut, the API and a separate job worker as real processes on
 * the demo data, and the systems it depends on (a department's business system, the data
 * platform, CAS) as real HTTP servers. Everything goes at dispose(), whatever happened.
 */
export class Sandbox {
  api!: HallChild;
  worker!: HallChild;
  /** Workers started after one was killed. */
  readonly replacements: HallChild[] = [];
  readonly businessSystem = new BusinessSystemPeer();
  readonly dataPlatform = new DataPlatformPeer();
  readonly cas = new CasPeer({ zhangsan: 'T0102', wangwu: 'T0302' });
  private db: DisposableDatabase | undefined;
  private proxy: TcpProxy | undefined;
  private env: Record<string, string> = {};
  private apiPort = 0;

  private constructor(private readonly dir: string) {}

  static async start(o: { log?: (line: string) => void } = {}): Promise<Sandbox> {
    const dir = await mkdtemp(path.join(tmpdir(), 'hall-drill-'));
    // the embedded server runs as the unprivileged 'postgres' user when the drill runs as root
    await chmod(dir, 0o755);
    const s = new Sandbox(dir);
    try {
      await s.boot(o.log ?? (() => undefined));
      return s;
    } catch (e) {
      await s.dispose();
      throw e;
    }
  }

  /** The database as the drill observes it: directly, not through the relay it cuts. */
  get databaseUrl(): string {
    return this.db!.url;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  private async boot(log: (line: string) => void): Promise<void> {
    log('starting the sandbox PostgreSQL');
    this.db = await startDisposableDatabase(path.join(this.dir, 'db'));
    this.proxy = await TcpProxy.start({ host: '127.0.0.1', port: this.db.port });
    const through = new URL(this.db.url);
    through.port = String(this.proxy.port);
    for (const p of [this.businessSystem, this.dataPlatform, this.cas]) await p.start();
    this.apiPort = await freePort();
    this.env = {
      DATABASE_URL: through.toString(),
      SESSION_SECRET: randomBytes(24).toString('base64url'),
      HALL_DATA_DIR: path.join(this.dir, 'hall'),
      LOG_LEVEL: 'warn',
      // a dead worker's jobs are handed out again within seconds, not the production minute
      JOB_EXPIRE_SECONDS: '5',
      JOB_MAINTENANCE_SECONDS: '5',
      CONNECTORS: JSON.stringify({
        [SANDBOX_CONNECTOR]: { url: `${this.businessSystem.base}/cases`, timeoutMs: 1000 },
      }),
      DATA_PLATFORM_URL: `${this.dataPlatform.base}/events`,
      DATA_PLATFORM_TIMEOUT_MS: '1000',
      CAS_URL: this.cas.casUrl,
      CAS_SERVICE_URL: `${this.apiBase}/api/v1/auth/cas/callback`,
      CAS_ID_ATTRIBUTE: 'employeeNumber',
      // break-glass local accounts beside CAS: what keeps working while the directory is down
      LOCAL_ACCOUNTS: '1',
    };
    log('starting the API (migrations, demo data)');
    this.api = HallChild.start('the API', this.apiPort, {
      ...this.env,
      SEED_DEMO: '1',
      MIGRATE_ON_START: '1',
      JOBS_WORKER: '0',
    });
    await this.api.ready(180_000);
    log('starting the job worker');
    this.worker = await this.startWorker();
  }

  async startWorker(): Promise<HallChild> {
    const w = HallChild.start(`job worker ${this.replacements.length + 1}`, await freePort(), {
      ...this.env,
      SEED_DEMO: '0',
      MIGRATE_ON_START: '0',
      JOBS_WORKER: '1',
    });
    await w.ready(120_000);
    return w;
  }

  /** Faults on the database: its server stopped and started again, or the network to it cut. */
  readonly database = {
    stop: () => this.db!.stop(),
    start: () => this.db!.start(),
    disconnect: () => this.proxy!.disconnect(),
    reconnect: () => this.proxy!.reconnect(),
  };

  /** What the processes printed, for a report whose drill went wrong. */
  output(): string {
    return [this.api, this.worker, ...this.replacements]
      .filter(Boolean)
      .map((p) => `--- ${p.name}\n${p.output()}`)
      .join('\n');
  }

  async dispose(): Promise<void> {
    await Promise.all([this.api, this.worker, ...this.replacements].filter(Boolean).map((p) => p.stop()));
    await this.proxy?.stop();
    for (const p of [this.businessSystem, this.dataPlatform, this.cas]) await p.stop();
    await this.db?.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
