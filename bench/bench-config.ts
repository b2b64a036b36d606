import type { ResolvedConfig } from '../src/adapters/composition/container.js';

/** The session secret the benches sign with (the server process they start gets it too). */
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-00';

/** The configuration of a container a bench builds in its own process (to prepare data, or to run a read through its use case). */
export function benchConfig(
  databaseUrl: string,
  dataDir: string,
  overrides: Partial<ResolvedConfig> = {},
): ResolvedConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    dataDir,
    seedDemo: false,
    migrateOnStart: false,
    shutdownGraceSeconds: 10,
    logLevel: 'silent',
    sessionSecret: BENCH_SECRET,
    sessionTtlMinutes: 60,
    sessionIdleMinutes: 30,
    sessionCacheSeconds: 30,
    loginMaxFailures: 5,
    trustedProxies: [],
    publicCallsPerMinute: 60,
    metrics: { token: undefined, open: true },
    dbPoolMax: 10,
    dbAcquireTimeoutMs: 10_000,
    caseNumberPattern: '{year}-{unit}-{seq:6}',
    evaluationChangeWindowDays: 7,
    followUpWorkingDays: 15,
    attachmentMaxBytes: 1024 * 1024,
    attachmentMaxFiles: 5,
    connectors: {},
    hallConfigFile: undefined,
    directoryFile: undefined,
    cas: undefined,
    oidc: undefined,
    ldap: undefined,
    localAccounts: true,
    publicUrl: 'http://hall.campus.test',
    portalOrigins: ['https://portal.campus.test'],
    signingKeyFile: undefined,
    audit: {
      signingKeyFile: undefined,
      origin: 'service-hall/audit-log',
      checkpointFile: undefined,
      checkpointMinutes: 60,
      retentionMonths: 6,
    },
    reminders: { beforeHours: 24, escalateAfterHours: 24 },
    jobs: { worker: false, expireSeconds: 60, maintenanceSeconds: 30 },
    outbox: { http: undefined, batchSize: 100, retentionDays: 30 },
    smtp: undefined,
    ...overrides,
  };
}
