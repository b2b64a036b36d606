import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { AUDIT_TRAIL } from '../../application/ports/audit-log.port.js';
import { CLOCK } from '../../application/ports/clock.port.js';
import { FORM_SCHEMA_CHECKER } from '../../application/ports/form-schema-checker.port.js';
import { ORGANISATION } from '../../application/ports/organisation.port.js';
import { UNIT_OF_WORK } from '../../application/ports/unit-of-work.port.js';
import { AjvFormSchemaChecker } from '../driven/ajv/ajv-form-schema-checker.js';
import { KnexOrganisation } from '../driven/objection/knex-organisation.js';
import { KnexUnitOfWork } from '../driven/objection/knex-unit-of-work.js';
import { ObjectionAuditTrail } from '../driven/objection/objection-audit-log.js';
import { SystemClock } from '../driven/system/system-clock.js';
import { METRICS, PrometheusMetrics } from '../driven/prom-client/prometheus-metrics.js';
import { watchPool } from '../driven/knex/pool-watch.js';
import { IDEMPOTENCY_STORE, KnexIdempotencyStore } from '../driven/objection/knex-idempotency-store.js';
import { AjvFormValidator } from '../driven/ajv/ajv-form-validator.js';
import { KnexTaskInbox } from '../driven/objection/knex-task-inbox.js';
import { KnexApplicationSummaries } from '../driven/objection/knex-application-summaries.js';
import { APPLICATION_SUMMARIES } from '../../application/ports/application-summaries.port.js';
import { KnexSupervision } from '../driven/objection/knex-supervision.js';
import { SUPERVISION_QUERIES } from '../../application/ports/supervision.port.js';
import { WORKING_CALENDAR } from '../driven/calendar/live-working-calendar.js';
import { KnexCalendarStore } from '../driven/calendar/knex-calendar-store.js';
import { CALENDAR_STORE } from '../../application/ports/calendar-store.port.js';
import { LocalDiskAttachmentStore } from '../driven/local-disk/local-disk-attachment-store.js';
import { ATTACHMENT_STORE } from '../../application/ports/attachment-store.port.js';
import path from 'node:path';
import { FileDirectory } from '../driven/directory-file/file-directory.js';
import { LdaptsDirectory } from '../driven/ldapts/ldapts-directory.js';
import { DIRECTORY } from '../../application/ports/directory.port.js';
import type { Config } from '../../config.js';
import { HttpBusinessConnectors } from '../driven/http-connector/http-business-connectors.js';
import { BUSINESS_CONNECTORS } from '../../application/ports/business-connectors.port.js';
import { JsonLogicConditionEvaluator } from '../driven/json-logic/json-logic-condition-evaluator.js';
import { CONDITION_EVALUATOR } from '../../application/ports/condition-evaluator.port.js';
import { FORM_VALIDATOR } from '../../application/ports/form-validator.port.js';
import { TASK_INBOX } from '../../application/ports/application.repository.port.js';
import { KNEX, LIVE_CALENDAR, SESSIONS_ENDED } from './tokens.js';
import { MESSAGES } from '../../application/ports/notifier.port.js';
import { JOB_ADMIN } from '../../application/ports/job-admin.port.js';
import { KnexJobAdmin } from '../driven/pg-boss/knex-job-admin.js';
import { KnexMessages } from '../driven/objection/knex-notifications.js';
import { EMAIL_SENDER } from '../../application/ports/email-sender.port.js';
import { SmtpEmailSender } from '../driven/smtp/smtp-email-sender.js';

export const databaseModule = (knex: Knex, config: Pick<Config, 'dataDir' | 'connectors' | 'directoryFile' | 'ldap' | 'reminders' | 'jobs' | 'smtp'>) => new ContainerModule(({ bind }) => {
  bind(KNEX).toConstantValue(knex);
  bind(CLOCK).toConstantValue(new SystemClock());
  bind(UNIT_OF_WORK).toDynamicValue((ctx) => new KnexUnitOfWork(knex, {
    reminders: { ...config.reminders, expireSeconds: config.jobs.expireSeconds }, email: !!config.smtp,
    sessionsEnded: ctx.get<(sessionIds: string[]) => void>(SESSIONS_ENDED),
  }));
  bind(MESSAGES).toConstantValue(new KnexMessages(knex));
  bind(JOB_ADMIN).toConstantValue(new KnexJobAdmin(knex));
  bind(EMAIL_SENDER).toConstantValue(config.smtp ? new SmtpEmailSender(config.smtp) : null);
  bind(ORGANISATION).toConstantValue(new KnexOrganisation(knex));
  bind(AUDIT_TRAIL).toConstantValue(new ObjectionAuditTrail(knex));
  bind(FORM_SCHEMA_CHECKER).toConstantValue(new AjvFormSchemaChecker());
  const metrics = new PrometheusMetrics();
  watchPool(knex, metrics);
  bind(METRICS).toConstantValue(metrics);
  bind(IDEMPOTENCY_STORE).toConstantValue(new KnexIdempotencyStore(knex));
  bind(FORM_VALIDATOR).toConstantValue(new AjvFormValidator());
  bind(TASK_INBOX).toConstantValue(new KnexTaskInbox(knex));
  bind(APPLICATION_SUMMARIES).toConstantValue(new KnexApplicationSummaries(knex));
  bind(SUPERVISION_QUERIES).toConstantValue(new KnexSupervision(knex));
  bind(BUSINESS_CONNECTORS).toConstantValue(new HttpBusinessConnectors(config.connectors));
  // an HR export when one is named, else the LDAP directory, else nothing to sync from
  bind(DIRECTORY).toConstantValue(config.directoryFile ? new FileDirectory(config.directoryFile)
    : config.ldap ? new LdaptsDirectory({ ...config.ldap, ...config.ldap.directory })
      : { people: async () => { throw new Error('no directory is configured: set DIRECTORY_FILE or LDAP_URL'); } });
  // the live calendar is built and started by buildContainer (container.ts), which binds LIVE_CALENDAR
  bind(WORKING_CALENDAR).toService(LIVE_CALENDAR);
  bind(CALENDAR_STORE).toConstantValue(new KnexCalendarStore(knex));
  bind(ATTACHMENT_STORE).toConstantValue(new LocalDiskAttachmentStore(path.join(config.dataDir, 'attachments')));
  bind(CONDITION_EVALUATOR).toConstantValue(new JsonLogicConditionEvaluator());
});
