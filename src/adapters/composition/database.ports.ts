import type { Logger } from 'pino';
import { KnexEvaluationFigures } from '../driven/knex/knex-evaluation-figures.js';
import { KnexEvaluationExportRecords } from '../driven/knex/knex-evaluation-exports.js';
import { ExcelJsEvaluationRenderer } from '../driven/evaluation/exceljs-evaluation-renderer.js';
import { CsvEvaluationRenderer } from '../driven/evaluation/csv-evaluation-renderer.js';
import type { Knex } from 'knex';
import type { LoadedPlugin } from '@service-hall/plugin-sdk';
import { PluginBusinessConnectors } from '../plugin-host/plugin-business-connectors.js';
import type { PersonalDataHandling } from '../../domain/application/personal-data.js';
import { pluginSinks } from '../plugin-host/plugin-data-platform-sink.js';
import { pluginDirectory } from '../plugin-host/plugin-directory.js';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import type { Ports } from './ports.js';
import { AjvFormSchemaChecker } from '../driven/ajv/ajv-form-schema-checker.js';
import { ModdleBpmnConverter } from '../driven/bpmn/moddle-bpmn-converter.js';
import { AjvFormValidator } from '../driven/ajv/ajv-form-validator.js';
import { KnexCalendarStore } from '../driven/calendar/knex-calendar-store.js';
import { FileDirectory } from '../driven/directory-file/file-directory.js';
import { JsonLogicConditionEvaluator } from '../driven/json-logic/json-logic-condition-evaluator.js';
import { KnexSchemaMigrations } from '../driven/knex/migration-source.js';
import { knexDatabaseAvailability, watchPool } from '../driven/knex/pool-watch.js';
import { LdaptsDirectory } from '../driven/ldapts/ldapts-directory.js';
import { LocalDiskAttachmentStore } from '../driven/local-disk/local-disk-attachment-store.js';
import { StructuralAttachmentInspector } from '../driven/file-structure/structural-attachment-inspector.js';
import { KnexApplicationSummaries } from '../driven/knex/knex-application-summaries.js';
import { KnexIdempotencyStore } from '../driven/knex/knex-idempotency-store.js';
import { KnexMessages } from '../driven/knex/knex-notifications.js';
import { KnexOrganisation } from '../driven/knex/knex-organisation.js';
import { KnexSupervision } from '../driven/knex/knex-supervision.js';
import { KnexTaskInbox } from '../driven/knex/knex-task-inbox.js';
import { KnexHandlerLists } from '../driven/knex/knex-handler-lists.js';
import { KnexUnitOfWork } from '../driven/knex/knex-unit-of-work.js';
import { KnexReadTrail } from '../driven/knex/knex-read-trail.js';
import { KnexAuditTrail } from '../driven/knex/knex-audit-trail.js';
import { KnexConnectorStates } from '../driven/knex/knex-connector-states.js';
import { KnexSignInLog } from '../driven/knex/knex-sign-ins.js';
import { KnexDrillReports } from '../driven/knex/knex-drill-reports.js';
import { KnexJobAdmin } from '../driven/pg-boss/knex-job-admin.js';
import { PrometheusMetrics } from '../driven/prom-client/prometheus-metrics.js';
import { SmtpEmailSender } from '../driven/smtp/smtp-email-sender.js';
import { HttpDataPlatformSink } from '../driven/http-sink/http-data-platform-sink.js';
import { NatsJetStreamSink } from '../driven/nats-sink/nats-jetstream-sink.js';
import { PgOutboxRelayStore } from '../driven/knex/pg-outbox-relay-store.js';
import { SystemClock } from '../driven/system/system-clock.js';

type DatabasePorts = Omit<
  Ports,
  | 'enforcer'
  | 'identity'
  | 'sso'
  | 'sessions'
  | 'loginAttempts'
  | 'printouts'
  | 'signer'
  | 'renderer'
  | 'printoutReader'
  | 'printoutKeys'
  | 'pluginHealth'
  | 'auditLedger'
  | 'auditCheckpoints'
  | 'checkpointKeys'
  | 'noteVerifier'
  | 'checkpointSink'
  | 'sha256'
>;

/**
 * The unit of work and what reads and writes beside it, the working calendar (built and started by
 * buildContainer), the edge's metrics and idempotency records, and the outside systems the use
 * cases call (directory, business connectors, SMTP).
 */
export function databasePorts(
  knex: Knex,
  config: Pick<Config, 'dataDir' | 'connectors' | 'directoryFile' | 'ldap' | 'reminders' | 'jobs' | 'smtp' | 'outbox'>,
  o: {
    sessionsEnded: (sessionIds: string[]) => void;
    logger: Logger;
    calendar: WorkingCalendar;
    plugins: readonly LoadedPlugin[];
    /** How each plugin instance's sink receives personal form fields. */
    pluginPersonalData: Readonly<Record<string, PersonalDataHandling>>;
    databaseUrl: string;
  },
): DatabasePorts {
  const metrics = new PrometheusMetrics();
  watchPool(knex, metrics);
  return {
    uow: new KnexUnitOfWork(knex, {
      reminders: { ...config.reminders, expireSeconds: config.jobs.expireSeconds },
      email: !!config.smtp,
      sessionsEnded: o.sessionsEnded,
      committed: (changes) => metrics.changesCommitted(changes),
    }),
    clock: new SystemClock(),
    organisation: new KnexOrganisation(knex),
    auditTrail: new KnexAuditTrail(knex),
    readTrail: new KnexReadTrail(knex, { logger: o.logger }),
    inbox: new KnexTaskInbox(knex),
    handlerLists: new KnexHandlerLists(knex),
    summaries: new KnexApplicationSummaries(knex),
    supervision: new KnexSupervision(knex),
    evaluationFigures: new KnexEvaluationFigures(knex),
    evaluationRecords: new KnexEvaluationExportRecords(knex),
    evaluationRenderers: [new ExcelJsEvaluationRenderer(), new CsvEvaluationRenderer()],
    messages: new KnexMessages(knex),
    jobAdmin: new KnexJobAdmin(knex),
    drillReports: new KnexDrillReports(knex),
    signIns: new KnexSignInLog(knex),
    emailSender: config.smtp ? new SmtpEmailSender(config.smtp) : null,
    calendar: o.calendar,
    calendarStore: new KnexCalendarStore(knex),
    attachments: new LocalDiskAttachmentStore(path.join(config.dataDir, 'attachments')),
    attachmentInspector: new StructuralAttachmentInspector(),
    connectors: new PluginBusinessConnectors(
      o.plugins,
      undefined,
      o.plugins.some((p) => p.businessConnector)
        ? new KnexConnectorStates(knex, {
            onError: (e) =>
              o.logger.warn({ err: e }, 'connector states: the shared breaker state could not be read or written'),
          }).start()
        : undefined,
    ),
    // an HR export when one is named, else a plugin's directory source, else LDAP, else nothing to sync from
    directory: config.directoryFile
      ? new FileDirectory(config.directoryFile)
      : (pluginDirectory(o.plugins) ??
        (config.ldap
          ? new LdaptsDirectory({ ...config.ldap, ...config.ldap.directory })
          : {
              people: async () => {
                throw new Error(
                  'no directory is configured: set DIRECTORY_FILE or LDAP_URL, or load a directory plugin',
                );
              },
            })),
    forms: new AjvFormSchemaChecker(),
    bpmn: new ModdleBpmnConverter(),
    formValidator: new AjvFormValidator(),
    conditions: new JsonLogicConditionEvaluator(),
    metrics,
    idempotency: new KnexIdempotencyStore(knex),
    availability: knexDatabaseAvailability,
    schema: new KnexSchemaMigrations(knex),
    sinks: [
      ...(config.outbox.http ? [new HttpDataPlatformSink(config.outbox.http)] : []),
      ...(config.outbox.nats ? [new NatsJetStreamSink(config.outbox.nats)] : []),
      ...pluginSinks(o.plugins, o.pluginPersonalData),
    ],
    outboxRelay: new PgOutboxRelayStore(knex, o.databaseUrl),
  };
}
