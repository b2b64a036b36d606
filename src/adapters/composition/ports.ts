import type { ApplicationSummaries } from '../../application/ports/application-summaries.port.js';
import type { TaskInbox } from '../../application/ports/application.repository.port.js';
import type { HandlerLists } from '../../application/ports/handler-lists.port.js';
import type { AttachmentStore } from '../../application/ports/attachment-store.port.js';
import type { AttachmentInspector } from '../../application/ports/attachment-inspector.port.js';
import type { AuditTrail } from '../../application/ports/audit-log.port.js';
import type { AuditLedger } from '../../application/ports/audit-ledger.port.js';
import type {
  AuditCheckpoints,
  CheckpointKeys,
  CheckpointSink,
  NoteVerifier,
} from '../../application/ports/audit-checkpoints.port.js';
import type { Sha256 } from '../../application/ports/hasher.port.js';
import type { BusinessConnectors } from '../../application/ports/business-connectors.port.js';
import type { CalendarStore } from '../../application/ports/calendar-store.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { ConditionEvaluator } from '../../application/ports/condition-evaluator.port.js';
import type { DatabaseAvailability } from '../../application/ports/database-availability.port.js';
import type { ReadTrail } from '../../application/ports/read-trail.port.js';
import type { DataPlatformSink } from '../../application/ports/data-platform-sink.port.js';
import type { PluginHealth } from '../../application/ports/plugin-health.port.js';
import type { OutboxRelayStore } from '../../application/ports/outbox-relay.port.js';
import type { Directory } from '../../application/ports/directory.port.js';
import type { EmailSender } from '../../application/ports/email-sender.port.js';
import type { FormSchemaChecker } from '../../application/ports/form-schema-checker.port.js';
import type { BpmnConverter } from '../../application/ports/bpmn.port.js';
import type { FormValidator } from '../../application/ports/form-validator.port.js';
import type { IdempotencyStore } from '../../application/ports/idempotency-store.port.js';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { SignInLog } from '../../application/ports/sign-ins.port.js';
import type { DrillReportReader } from '../../application/ports/drill-reports.port.js';
import type { JobAdmin } from '../../application/ports/job-admin.port.js';
import type { LoginAttempts } from '../../application/ports/login-attempts.port.js';
import type { Metrics } from '../../application/ports/metrics.port.js';
import type { Messages } from '../../application/ports/notifier.port.js';
import type { Organisation } from '../../application/ports/organisation.port.js';
import type { PolicyEnforcer } from '../../application/ports/policy-enforcer.port.js';
import type { PrintoutSignerSource, PrintoutStore } from '../../application/ports/printout-store.port.js';
import type { PrintoutKeys, PrintoutReader, PrintoutRenderer } from '../../application/ports/printout.port.js';
import type { SchemaMigrations } from '../../application/ports/schema-migrations.port.js';
import type { SessionStore } from '../../application/ports/session-store.port.js';
import type { SsoProvider } from '../../application/ports/sso-provider.port.js';
import type { SupervisionQueries } from '../../application/ports/supervision.port.js';
import type { UnitOfWork } from '../../application/ports/unit-of-work.port.js';
import type {
  EvaluationExportRecords,
  EvaluationFigures,
  EvaluationRenderer,
} from '../../application/ports/evaluation-figures.port.js';
import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';

/** Every port the use cases and the driving adapters are given, by name, each typed by its port. */
export interface Ports {
  uow: UnitOfWork;
  clock: Clock;
  organisation: Organisation;
  enforcer: PolicyEnforcer;
  auditTrail: AuditTrail;
  readTrail: ReadTrail;
  /** The audit log as the leaves of its Merkle tree, its signed checkpoints, their keys (docs/audit.md). */
  auditLedger: AuditLedger;
  auditCheckpoints: AuditCheckpoints;
  checkpointKeys: CheckpointKeys;
  noteVerifier: NoteVerifier;
  /** Where a copy of every checkpoint goes outside the database (AUDIT_CHECKPOINT_FILE), if anywhere. */
  checkpointSink: CheckpointSink | null;
  sha256: Sha256;
  inbox: TaskInbox;
  handlerLists: HandlerLists;
  summaries: ApplicationSummaries;
  supervision: SupervisionQueries;
  /** The annual evaluation's counts, its filings, and the formats it is exported in. */
  evaluationFigures: EvaluationFigures;
  evaluationRecords: EvaluationExportRecords;
  evaluationRenderers: readonly EvaluationRenderer[];
  messages: Messages;
  jobAdmin: JobAdmin;
  drillReports: DrillReportReader;
  signIns: SignInLog;
  emailSender: EmailSender | null;
  calendar: WorkingCalendar;
  calendarStore: CalendarStore;
  attachments: AttachmentStore;
  attachmentInspector: AttachmentInspector;
  connectors: BusinessConnectors;
  directory: Directory;
  forms: FormSchemaChecker;
  bpmn: BpmnConverter;
  formValidator: FormValidator;
  conditions: ConditionEvaluator;
  identity: IdentityProvider;
  sso: SsoProvider[];
  sessions: SessionStore;
  loginAttempts: LoginAttempts;
  printouts: PrintoutStore;
  signer: PrintoutSignerSource;
  renderer: PrintoutRenderer;
  printoutReader: PrintoutReader;
  printoutKeys: PrintoutKeys;
  metrics: Metrics;
  idempotency: IdempotencyStore;
  availability: DatabaseAvailability;
  schema: SchemaMigrations;
  /** The sinks the outbox relay delivers to (none configured: no relay runs). */
  sinks: DataPlatformSink[];
  /** What the loaded plugins last said of their health (for /readyz). */
  pluginHealth: PluginHealth;
  outboxRelay: OutboxRelayStore;
}
