import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_CASE_NUMBER_PATTERN, isValidCaseNumberPattern } from './domain/application/case-number.js';

/** Environment-driven configuration, validated once at start-up. */
export const connectorsVariable = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z
        .string()
        .max(64)
        .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a connector id: lower-case letters, digits and single dashes'),
      z
        .object({
          url: z.string().url(),
          timeoutMs: z.number().int().min(100).max(60_000).default(5000),
          token: z.string().optional(),
        })
        .strict(),
    ),
  );

/** An address or a CIDR range: '10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Comma-separated addresses and CIDR ranges. */
const addressList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every(isAddressOrRange), 'must be comma-separated IP addresses or CIDR ranges');

/** Comma-separated web origins ('https://portal.campus.example'), each kept as its origin. */
const originList = z.string().transform((s, ctx) => {
  const origins: string[] = [];
  for (const entry of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.href !== `${url.origin}/` || url.origin === 'null') {
      ctx.addIssue({ code: 'custom', message: `'${entry}' is not an origin such as https://portal.campus.example` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

/** How a sink receives the form fields marked personal: masked, or left out (the default). */
const personalData = z.enum(['mask', 'omit']).default('omit');

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  HALL_DATA_DIR: z.string().min(1).default('./var'),
  SEED_DEMO: bool.optional(),
  MIGRATE_ON_START: bool.optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(480),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  TRUSTED_PROXIES: addressList.optional(),
  PUBLIC_CALLS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  NODE_ENV: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  EVALUATION_CHANGE_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  FOLLOW_UP_WORKING_DAYS: z.coerce.number().int().min(1).max(365).default(15),
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(10),
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(1).max(200).default(20),
  CONNECTORS: connectorsVariable.optional(),
  HALL_CONFIG: z.string().min(1).optional(),
  DIRECTORY_FILE: z.string().min(1).optional(),
  CAS_URL: z.string().url().optional(),
  CAS_SERVICE_URL: z.string().url().optional(),
  CAS_PROTOCOL: z.enum(['p3', 'v2']).default('p3'),
  CAS_ID_ATTRIBUTE: z.string().min(1).default('user'),
  CAS_LOGOUT_ALLOWED_ADDRESSES: addressList.optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_SCOPES: z
    .string()
    .regex(/(^| )openid( |$)/, 'must include openid')
    .default('openid profile'),
  OIDC_ID_CLAIM: z.string().min(1).default('sub'),
  LOCAL_ACCOUNTS: bool.optional(),
  LDAP_URL: z
    .string()
    .regex(/^ldaps?:\/\//, 'must be ldap:// or ldaps://')
    .optional(),
  LDAP_BIND_DN: z.string().min(1).optional(),
  LDAP_BIND_PASSWORD: z.string().min(1).optional(),
  LDAP_BASE_DN: z.string().min(1).optional(),
  LDAP_LOGIN_ATTRIBUTE: z.string().min(1).default('uid'),
  LDAP_ID_ATTRIBUTE: z.string().min(1).default('employeeNumber'),
  LDAP_NAME_ATTRIBUTE: z.string().min(1).default('displayName'),
  LDAP_TYPE_ATTRIBUTE: z.string().min(1).default('employeeType'),
  LDAP_UNIT_ATTRIBUTE: z.string().min(1).default('departmentNumber'),
  LDAP_STATUS_ATTRIBUTE: z.string().min(1).default('businessCategory'),
  PUBLIC_URL: z.string().url().optional(),
  PORTAL_ORIGINS: originList.optional(),
  HALL_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_LOG_ORIGIN: z
    .string()
    .regex(/^[\x21-\x2a\x2c-\x7e]{1,200}$/, "printable, no spaces and no '+', e.g. hall.campus.example/audit-log")
    .default('service-hall/audit-log'),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  // audit entries are kept at least 6 months (Cybersecurity Law art. 21); more may be configured
  AUDIT_RETENTION_MONTHS: z.coerce
    .number()
    .int()
    .min(6, 'audit entries are kept at least 6 months')
    .max(1200)
    .default(6),
  REMIND_BEFORE_HOURS: z.coerce.number().min(0).max(720).default(24),
  ESCALATE_AFTER_HOURS: z.coerce.number().min(0).max(720).default(24),
  JOBS_WORKER: bool.optional(),
  JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  DATA_PLATFORM_URL: z.string().url().optional(),
  DATA_PLATFORM_TOKEN: z.string().min(1).optional(),
  DATA_PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  DATA_PLATFORM_PERSONAL_DATA: personalData,
  DATA_PLATFORM_NATS_URL: z
    .string()
    .regex(/^nats:\/\/[^\s,]+(,nats:\/\/[^\s,]+)*$/, 'must be nats://host:port (several comma-separated)')
    .optional(),
  DATA_PLATFORM_NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('HALL_EVENTS'),
  DATA_PLATFORM_NATS_SUBJECT: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
    .default('hall.events'),
  DATA_PLATFORM_NATS_PERSONAL_DATA: personalData,
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  OUTBOX_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: bool.optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).optional(),
  CASE_NUMBER_PATTERN: z
    .string()
    .refine(
      isValidCaseNumberPattern,
      'must use {seq} or {seq:N}, optionally {year} and {unit}, and only letters, digits, - and _',
    )
    .default(DEFAULT_CASE_NUMBER_PATTERN),
});

export interface Config {
  port: number;
  host: string;
  /** Absent: an embedded PostgreSQL under dataDir is started. */
  databaseUrl: string | undefined;
  dataDir: string;
  seedDemo: boolean;
  /** Apply pending migrations at start (the embedded default); otherwise the hall waits, unready, for `hall db migrate`. */
  migrateOnStart: boolean;
  /** How long a stopping hall lets requests in flight finish before it closes their connections. */
  shutdownGraceSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Absent only with the embedded database, which keeps a generated secret in dataDir. */
  sessionSecret: string | undefined;
  sessionTtlMinutes: number;
  /** A session unused this long ends. */
  sessionIdleMinutes: number;
  /** How long an instance trusts a session it verified without asking the database again; 0: no cache. */
  sessionCacheSeconds: number;
  /**
   * Failed logins for one account (from any address) within 15 minutes before its sign-ins are
   * refused for a while; an address is refused after ten times as many, whichever accounts it tried.
   */
  loginMaxFailures: number;
  /**
   * Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client; empty: the
   * header is ignored and the client is the connection's peer.
   */
  trustedProxies: string[];
  /** Calls a minute one client address may make to what anyone may call (printout verification). */
  publicCallsPerMinute: number;
  /**
   * Who may scrape /metrics: with a token, only `Authorization: Bearer <token>`; without one,
   * anyone (`open`) under the embedded demo only (no DATABASE_URL, not NODE_ENV=production);
   * otherwise nobody.
   */
  metrics: { token: string | undefined; open: boolean };
  dbPoolMax: number;
  /** How long a request waits for a database connection when all are taken before it is answered 503. */
  dbAcquireTimeoutMs: number;
  /** 办件编号 pattern, e.g. '{year}-{unit}-{seq:6}'. */
  caseNumberPattern: string;
  /** How long an applicant may change a rating, once. */
  evaluationChangeWindowDays: number;
  /** Due date of a follow-up (整改) opened by a bad rating, in working days. */
  followUpWorkingDays: number;
  /** Attachment limits: size of one file, and files per application. */
  attachmentMaxBytes: number;
  attachmentMaxFiles: number;
  /** Business-system connectors for transfer nodes: id -> HTTP endpoint (each an instance of the bundled HTTP connector plugin). */
  connectors: Record<string, { url: string; timeoutMs: number; token?: string }>;
  /** The configuration file (JSON, or YAML for .yaml/.yml) naming the plugins to load, with their configuration. */
  hallConfigFile: string | undefined;
  /** An HR export (JSON or CSV) `hall people sync` reads, for universities without LDAP. */
  directoryFile: string | undefined;
  /** CAS single sign-on, when configured. */
  cas:
    | {
        serverUrl: string;
        serviceUrl: string;
        protocol: 'p3' | 'v2';
        idAttribute: string;
        timeoutMs: number;
        /** Where single-logout requests may come from besides the addresses the CAS server's host resolves to. */
        logoutAllowedAddresses: string[];
      }
    | undefined;
  /** OpenID Connect single sign-on (authorization code + PKCE), when configured. */
  oidc:
    | {
        issuer: string;
        clientId: string;
        clientSecret: string | undefined;
        redirectUri: string;
        scopes: string;
        idClaim: string;
        timeoutMs: number;
      }
    | undefined;
  /** LDAP password sign-in (and the CLI's fall-back), when configured. */
  ldap:
    | {
        url: string;
        bindDn: string;
        bindPassword: string;
        baseDn: string;
        loginAttribute: string;
        idAttribute: string;
        timeoutMs: number;
        /** Where `hall people sync` finds name, type, unit and employment status when there is no DIRECTORY_FILE. */
        directory?: { nameAttribute: string; typeAttribute: string; unitAttribute: string; statusAttribute: string };
      }
    | undefined;
  /** Local accounts: on by default only when no SSO server is configured. */
  localAccounts: boolean;
  /** Where people reach this hall (links in messages, the QR code of a printout). */
  publicUrl: string;
  /** Origins of the portal a single sign-on may return to (`returnTo`), besides this site's own paths. */
  portalOrigins: string[];
  /** The Ed25519 key that signs printouts; absent: generated under dataDir on first start. */
  signingKeyFile: string | undefined;
  /**
   * The tamper-evident audit log (docs/audit.md): the Ed25519 key that signs its checkpoints
   * (absent: generated under dataDir on first use), the log's origin (the checkpoints' first line and
   * key name), a file every checkpoint is appended to, how often one is published, and how many
   * months (at least 6) a month's entries are kept after it ended before it may be archived.
   */
  audit: {
    signingKeyFile: string | undefined;
    origin: string;
    checkpointFile: string | undefined;
    checkpointMinutes: number;
    retentionMonths: number;
  };
  /** Reminders to the task holder this long before the due time, and escalation this long after it. */
  reminders: { beforeHours: number; escalateAfterHours: number };
  /** Durable jobs (pg-boss): whether this process works them, and how soon a job of a dead worker is taken again. */
  jobs: { worker: boolean; expireSeconds: number; maintenanceSeconds: number };
  /**
   * The outbox relay: the public data platform's HTTP endpoint (CloudEvents batch mode), when
   * configured; events per batch; how long delivered outbox rows are kept.
   */
  outbox: {
    http: { url: string; token?: string; timeoutMs: number; personalData?: 'mask' | 'omit' } | undefined;
    /** The same events on a NATS JetStream stream, when configured. */
    nats?: { servers: string; stream: string; subject: string; timeoutMs: number; personalData?: 'mask' | 'omit' };
    batchSize: number;
    retentionDays: number;
  };
  /** Outgoing e-mail for notifications, when configured (portal messages are always kept). */
  smtp:
    | { host: string; port: number; secure: boolean; user?: string; password?: string; from: string; timeoutMs: number }
    | undefined;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const first = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message.toLowerCase()}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${first}`);
  }
  const c = parsed.data;
  if (c.LDAP_URL && !(c.LDAP_BIND_DN && c.LDAP_BIND_PASSWORD && c.LDAP_BASE_DN)) {
    throw new ConfigError('Invalid configuration: LDAP_URL needs LDAP_BIND_DN, LDAP_BIND_PASSWORD and LDAP_BASE_DN');
  }
  if (!!c.CAS_URL !== !!c.CAS_SERVICE_URL) {
    throw new ConfigError('Invalid configuration: CAS_URL and CAS_SERVICE_URL go together');
  }
  if (
    (c.OIDC_ISSUER || c.OIDC_CLIENT_ID || c.OIDC_REDIRECT_URI) &&
    !(c.OIDC_ISSUER && c.OIDC_CLIENT_ID && c.OIDC_REDIRECT_URI)
  ) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI go together');
  }
  if (!!c.SMTP_HOST !== !!c.SMTP_FROM) {
    throw new ConfigError('Invalid configuration: SMTP_HOST and SMTP_FROM go together');
  }
  if (c.DATABASE_URL && !c.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required when DATABASE_URL is set');
  }
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.HALL_DATA_DIR,
    seedDemo: c.SEED_DEMO ?? !c.DATABASE_URL,
    migrateOnStart: c.MIGRATE_ON_START ?? !c.DATABASE_URL,
    shutdownGraceSeconds: c.SHUTDOWN_GRACE_SECONDS,
    logLevel: c.LOG_LEVEL,
    sessionSecret: c.SESSION_SECRET,
    sessionTtlMinutes: c.SESSION_TTL_MINUTES,
    sessionIdleMinutes: c.SESSION_IDLE_MINUTES,
    sessionCacheSeconds: c.SESSION_CACHE_SECONDS,
    loginMaxFailures: c.LOGIN_MAX_FAILURES,
    trustedProxies: c.TRUSTED_PROXIES ?? [],
    publicCallsPerMinute: c.PUBLIC_CALLS_PER_MINUTE,
    metrics: { token: c.METRICS_TOKEN, open: !c.METRICS_TOKEN && !c.DATABASE_URL && c.NODE_ENV !== 'production' },
    dbPoolMax: c.DB_POOL_MAX,
    dbAcquireTimeoutMs: c.DB_ACQUIRE_TIMEOUT_MS,
    caseNumberPattern: c.CASE_NUMBER_PATTERN,
    evaluationChangeWindowDays: c.EVALUATION_CHANGE_WINDOW_DAYS,
    followUpWorkingDays: c.FOLLOW_UP_WORKING_DAYS,
    attachmentMaxBytes: Math.round(c.ATTACHMENT_MAX_MB * 1024 * 1024),
    attachmentMaxFiles: c.ATTACHMENT_MAX_FILES,
    connectors: c.CONNECTORS ?? {},
    hallConfigFile: c.HALL_CONFIG,
    directoryFile: c.DIRECTORY_FILE,
    cas:
      c.CAS_URL && c.CAS_SERVICE_URL
        ? {
            serverUrl: c.CAS_URL.replace(/\/$/, ''),
            serviceUrl: c.CAS_SERVICE_URL,
            protocol: c.CAS_PROTOCOL,
            idAttribute: c.CAS_ID_ATTRIBUTE,
            timeoutMs: 5000,
            logoutAllowedAddresses: c.CAS_LOGOUT_ALLOWED_ADDRESSES ?? [],
          }
        : undefined,
    oidc:
      c.OIDC_ISSUER && c.OIDC_CLIENT_ID && c.OIDC_REDIRECT_URI
        ? {
            issuer: c.OIDC_ISSUER,
            clientId: c.OIDC_CLIENT_ID,
            clientSecret: c.OIDC_CLIENT_SECRET,
            redirectUri: c.OIDC_REDIRECT_URI,
            scopes: c.OIDC_SCOPES,
            idClaim: c.OIDC_ID_CLAIM,
            timeoutMs: 5000,
          }
        : undefined,
    ldap:
      c.LDAP_URL && c.LDAP_BIND_DN && c.LDAP_BIND_PASSWORD && c.LDAP_BASE_DN
        ? {
            url: c.LDAP_URL,
            bindDn: c.LDAP_BIND_DN,
            bindPassword: c.LDAP_BIND_PASSWORD,
            baseDn: c.LDAP_BASE_DN,
            loginAttribute: c.LDAP_LOGIN_ATTRIBUTE,
            idAttribute: c.LDAP_ID_ATTRIBUTE,
            timeoutMs: 5000,
            directory: {
              nameAttribute: c.LDAP_NAME_ATTRIBUTE,
              typeAttribute: c.LDAP_TYPE_ATTRIBUTE,
              unitAttribute: c.LDAP_UNIT_ATTRIBUTE,
              statusAttribute: c.LDAP_STATUS_ATTRIBUTE,
            },
          }
        : undefined,
    localAccounts: c.LOCAL_ACCOUNTS ?? (!(c.CAS_URL && c.CAS_SERVICE_URL) && !c.OIDC_ISSUER && !c.LDAP_URL),
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    portalOrigins: c.PORTAL_ORIGINS ?? [],
    signingKeyFile: c.HALL_SIGNING_KEY_FILE,
    audit: {
      signingKeyFile: c.AUDIT_SIGNING_KEY_FILE,
      origin: c.AUDIT_LOG_ORIGIN,
      checkpointFile: c.AUDIT_CHECKPOINT_FILE,
      checkpointMinutes: c.AUDIT_CHECKPOINT_MINUTES,
      retentionMonths: c.AUDIT_RETENTION_MONTHS,
    },
    reminders: { beforeHours: c.REMIND_BEFORE_HOURS, escalateAfterHours: c.ESCALATE_AFTER_HOURS },
    jobs: {
      worker: c.JOBS_WORKER ?? true,
      expireSeconds: c.JOB_EXPIRE_SECONDS,
      maintenanceSeconds: c.JOB_MAINTENANCE_SECONDS,
    },
    outbox: {
      http: c.DATA_PLATFORM_URL
        ? {
            url: c.DATA_PLATFORM_URL,
            token: c.DATA_PLATFORM_TOKEN,
            timeoutMs: c.DATA_PLATFORM_TIMEOUT_MS,
            personalData: c.DATA_PLATFORM_PERSONAL_DATA,
          }
        : undefined,
      nats: c.DATA_PLATFORM_NATS_URL
        ? {
            servers: c.DATA_PLATFORM_NATS_URL,
            stream: c.DATA_PLATFORM_NATS_STREAM,
            subject: c.DATA_PLATFORM_NATS_SUBJECT,
            timeoutMs: c.DATA_PLATFORM_TIMEOUT_MS,
            personalData: c.DATA_PLATFORM_NATS_PERSONAL_DATA,
          }
        : undefined,
      batchSize: c.OUTBOX_BATCH_SIZE,
      retentionDays: c.OUTBOX_RETENTION_DAYS,
    },
    smtp:
      c.SMTP_HOST && c.SMTP_FROM
        ? {
            host: c.SMTP_HOST,
            port: c.SMTP_PORT,
            secure: c.SMTP_SECURE ?? c.SMTP_PORT === 465,
            user: c.SMTP_USER,
            password: c.SMTP_PASSWORD,
            from: c.SMTP_FROM,
            timeoutMs: 10_000,
          }
        : undefined,
  };
}
