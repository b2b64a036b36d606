import type { Config } from '../../config.js';
import type { Ports } from './ports.js';
import { ActOnTaskUseCase } from '../../application/applications/act-on-task.use-case.js';
import { AttachmentsUseCase } from '../../application/applications/attachments.use-case.js';
import { CallBusinessSystemUseCase } from '../../application/applications/call-business-system.use-case.js';
import { EndApplicationUseCase } from '../../application/applications/end-application.use-case.js';
import { GetApplicationUseCase } from '../../application/applications/get-application.use-case.js';
import { ApplicationRoadUseCase } from '../../application/applications/road.use-case.js';
import { InboxUseCase } from '../../application/applications/inbox.use-case.js';
import { ManageApplicationUseCase } from '../../application/applications/manage-application.use-case.js';
import { RedirectApplicationUseCase } from '../../application/applications/redirect-application.use-case.js';
import { SearchItemApplicationsUseCase } from '../../application/applications/search-item-applications.use-case.js';
import { HandlerListsUseCase } from '../../application/applications/handler-lists.use-case.js';
import { BatchTaskActionsUseCase } from '../../application/applications/batch-task-actions.use-case.js';
import { ListMyApplicationsUseCase } from '../../application/applications/list-my-applications.use-case.js';
import { NoteApplicationUseCase } from '../../application/applications/note-application.use-case.js';
import { StartApplicationUseCase } from '../../application/applications/start-application.use-case.js';
import { SubmitApplicationUseCase } from '../../application/applications/submit-application.use-case.js';
import type { ApplicationDeps } from '../../application/applications/submission.js';
import { ListDataReadsUseCase } from '../../application/audit/list-data-reads.use-case.js';
import { ListAuditEntriesUseCase } from '../../application/audit/list-audit-entries.use-case.js';
import { AuditCheckpointsUseCase } from '../../application/audit/audit-checkpoints.use-case.js';
import { ExportEvidenceUseCase } from '../../application/audit/export-evidence.use-case.js';
import { ProveConsistencyUseCase } from '../../application/audit/prove-consistency.use-case.js';
import { SequenceAuditLogUseCase } from '../../application/audit/sequence-audit-log.use-case.js';
import { VerifyAuditLogUseCase } from '../../application/audit/verify-audit-log.use-case.js';
import { ArchiveAuditMonthUseCase } from '../../application/audit/archive-audit-month.use-case.js';
import { AuditPartitionsUseCase } from '../../application/audit/audit-partitions.use-case.js';
import { AuthenticateUseCase } from '../../application/auth/authenticate.use-case.js';
import { LoginUseCase } from '../../application/auth/login.use-case.js';
import { LogoutUseCase } from '../../application/auth/logout.use-case.js';
import { SsoLoginUseCase } from '../../application/auth/sso-login.use-case.js';
import { WhoAmIUseCase } from '../../application/auth/who-am-i.use-case.js';
import { WorkingCalendarUseCase } from '../../application/calendar/working-calendar.use-case.js';
import { AnnualEvaluationUseCase } from '../../application/evaluations/annual-evaluation.use-case.js';
import { EvaluateApplicationUseCase } from '../../application/evaluations/evaluate-application.use-case.js';
import { FollowUpsUseCase } from '../../application/evaluations/follow-ups.use-case.js';
import { JobsUseCase } from '../../application/jobs/jobs.use-case.js';
import { DrillReportsUseCase } from '../../application/drills/drill-reports.use-case.js';
import { MyMessagesUseCase } from '../../application/messages/my-messages.use-case.js';
import { ReadinessUseCase } from '../../application/operations/readiness.use-case.js';
import { AbsenceUseCase } from '../../application/people/absence.use-case.js';
import { FindPersonUseCase } from '../../application/people/find-person.use-case.js';
import { IdentifyOperatorUseCase } from '../../application/people/identify-operator.use-case.js';
import { OffboardPersonUseCase } from '../../application/people/offboard-person.use-case.js';
import { ChangePostUseCase } from '../../application/people/change-post.use-case.js';
import { SyncPeopleUseCase } from '../../application/people/sync-people.use-case.js';
import { OutboxUseCase } from '../../application/outbox/outbox.use-case.js';
import { RelayOutboxUseCase } from '../../application/outbox/relay-outbox.use-case.js';
import { PermissionsUseCase } from '../../application/permissions/permissions.use-case.js';
import { CertificationExpiryUseCase } from '../../application/permissions/certification-expiry.use-case.js';
import { PrintoutsUseCase } from '../../application/printouts/printouts.use-case.js';
import { EmailDeliveryUseCase } from '../../application/reminders/email-delivery.use-case.js';
import { FollowUpRemindersUseCase } from '../../application/reminders/follow-up-reminders.use-case.js';
import { TaskRemindersUseCase } from '../../application/reminders/task-reminders.use-case.js';
import { ApplyOnboardingUseCase } from '../../application/service-items/apply-onboarding.use-case.js';
import { CatalogueUseCase } from '../../application/service-items/catalogue.use-case.js';
import { ConfirmVersionUseCase } from '../../application/service-items/confirm-version.use-case.js';
import { DecideServiceItemUseCase } from '../../application/service-items/decide-service-item.use-case.js';
import { DefineProcessUseCase } from '../../application/service-items/define-process.use-case.js';
import { ExportBpmnUseCase } from '../../application/service-items/export-bpmn.use-case.js';
import { ImportBpmnUseCase } from '../../application/service-items/import-bpmn.use-case.js';
import { GetServiceItemUseCase } from '../../application/service-items/get-service-item.use-case.js';
import { LaunchVersionUseCase } from '../../application/service-items/launch-version.use-case.js';
import { UnconfiguredConnectorsUseCase } from '../../application/service-items/unconfigured-connectors.use-case.js';
import { ListServiceItemsUseCase } from '../../application/service-items/list-service-items.use-case.js';
import { ReapplyOnboardingUseCase } from '../../application/service-items/reapply-onboarding.use-case.js';
import { ChangeRequestsUseCase } from '../../application/service-items/change-requests.use-case.js';
import { RoleFilingsUseCase } from '../../application/permissions/role-filings.use-case.js';
import { SignInsUseCase } from '../../application/auth/sign-ins.use-case.js';
import { RequestOffboardingUseCase } from '../../application/service-items/request-offboarding.use-case.js';
import { SupervisionUseCase } from '../../application/supervision/supervision.use-case.js';

type Settings = Pick<
  Config,
  | 'caseNumberPattern'
  | 'evaluationChangeWindowDays'
  | 'followUpWorkingDays'
  | 'attachmentMaxBytes'
  | 'attachmentMaxFiles'
  | 'loginMaxFailures'
  | 'publicUrl'
  | 'portalOrigins'
  | 'outbox'
  | 'audit'
>;

/**
 * Every use case, each given exactly the ports and settings its constructor names (an object
 * literal per use case, so the compiler refuses one too many as well as one too few). Built once
 * per container; a use case holds no state of its own.
 */
export function buildUseCases(p: Ports, s: Settings) {
  const audit = auditUseCases(p, s.audit.retentionMonths);
  const { uow, enforcer, organisation, clock } = p;
  const engine: ApplicationDeps = {
    uow,
    enforcer,
    organisation,
    clock,
    formValidator: p.formValidator,
    conditions: p.conditions,
    calendar: p.calendar,
    caseNumberPattern: s.caseNumberPattern,
    metrics: p.metrics,
  };
  const actOnTask = new ActOnTaskUseCase(engine);
  const defineProcess = new DefineProcessUseCase({
    uow,
    enforcer,
    organisation,
    forms: p.forms,
    connectors: p.connectors,
    clock,
  });
  return {
    // signing in, and who one is
    login: new LoginUseCase({
      identity: p.identity,
      sessions: p.sessions,
      organisation,
      clock,
      loginAttempts: p.loginAttempts,
      uow,
      loginMaxFailures: s.loginMaxFailures,
      metrics: p.metrics,
    }),
    ssoLogin: new SsoLoginUseCase({
      sso: p.sso,
      sessions: p.sessions,
      organisation,
      clock,
      uow,
      portalOrigins: s.portalOrigins,
      metrics: p.metrics,
    }),
    logout: new LogoutUseCase({ sessions: p.sessions, clock }),
    authenticate: new AuthenticateUseCase({ sessions: p.sessions, clock }),
    whoAmI: new WhoAmIUseCase({ organisation, enforcer }),
    identifyOperator: new IdentifyOperatorUseCase({ organisation }),
    // service items (Art. 8-12)
    applyOnboarding: new ApplyOnboardingUseCase({ uow, enforcer, organisation, clock }),
    decideServiceItem: new DecideServiceItemUseCase({ uow, enforcer, clock }),
    reapplyOnboarding: new ReapplyOnboardingUseCase({ uow, enforcer, organisation, clock }),
    defineProcess,
    importBpmn: new ImportBpmnUseCase({ uow, enforcer, bpmn: p.bpmn, defineProcess }),
    exportBpmn: new ExportBpmnUseCase({ uow, enforcer, bpmn: p.bpmn }),
    confirmVersion: new ConfirmVersionUseCase({ uow, enforcer, clock }),
    launchVersion: new LaunchVersionUseCase({ uow, enforcer, connectors: p.connectors, forms: p.forms, clock }),
    changeRequests: new ChangeRequestsUseCase({ uow, enforcer, clock }),
    roleFilings: new RoleFilingsUseCase({ uow, enforcer, clock }),
    signIns: new SignInsUseCase({ log: p.signIns, enforcer, clock }),
    requestOffboarding: new RequestOffboardingUseCase({ uow, enforcer, clock }),
    getServiceItem: new GetServiceItemUseCase({ uow, enforcer }),
    listServiceItems: new ListServiceItemsUseCase({ uow, enforcer }),
    catalogue: new CatalogueUseCase({ uow, connectors: p.connectors }),
    unconfiguredConnectors: new UnconfiguredConnectorsUseCase({ uow, connectors: p.connectors }),
    // applications and tasks
    startApplication: new StartApplicationUseCase(engine),
    submitApplication: new SubmitApplicationUseCase(engine),
    actOnTask,
    batchTaskActions: new BatchTaskActionsUseCase({ actOnTask }),
    getApplication: new GetApplicationUseCase({
      uow,
      enforcer,
      readTrail: p.readTrail,
      clock,
      connectors: p.connectors,
    }),
    applicationRoad: new ApplicationRoadUseCase({
      uow,
      enforcer,
      conditions: engine.conditions,
      calendar: engine.calendar,
      clock,
    }),
    listMyApplications: new ListMyApplicationsUseCase({ summaries: p.summaries }),
    endApplication: new EndApplicationUseCase({ uow, clock }),
    noteApplication: new NoteApplicationUseCase({ uow, enforcer, clock, publicUrl: s.publicUrl }),
    inbox: new InboxUseCase({ inbox: p.inbox, enforcer, clock }),
    // the owning unit's service admins and the IT Office: search, 撤销, 改派
    searchItemApplications: new SearchItemApplicationsUseCase({ uow, summaries: p.summaries, enforcer }),
    manageApplication: new ManageApplicationUseCase({ uow, enforcer, clock, publicUrl: s.publicUrl }),
    redirectApplication: new RedirectApplicationUseCase(engine),
    handlerLists: new HandlerListsUseCase({ lists: p.handlerLists, inbox: p.inbox, enforcer, clock }),
    attachments: new AttachmentsUseCase({
      uow,
      enforcer,
      clock,
      attachments: p.attachments,
      inspector: p.attachmentInspector,
      attachmentMaxBytes: s.attachmentMaxBytes,
      attachmentMaxFiles: s.attachmentMaxFiles,
      readTrail: p.readTrail,
    }),
    callBusinessSystem: new CallBusinessSystemUseCase({ uow, clock, connectors: p.connectors }),
    evaluateApplication: new EvaluateApplicationUseCase({
      uow,
      clock,
      calendar: p.calendar,
      evaluationChangeWindowDays: s.evaluationChangeWindowDays,
      followUpWorkingDays: s.followUpWorkingDays,
    }),
    followUps: new FollowUpsUseCase({ uow, enforcer, clock }),
    printouts: new PrintoutsUseCase({
      uow,
      enforcer,
      organisation,
      clock,
      printouts: p.printouts,
      signer: p.signer,
      renderer: p.renderer,
      readTrail: p.readTrail,
      // where the QR code of a printout leads: the online check of its code
      verifyUrl: (code) => `${s.publicUrl}/api/v1/verify/${code}`,
    }),
    // people, roles, supervision, the calendar
    absence: new AbsenceUseCase({ uow, organisation, clock }),
    permissions: new PermissionsUseCase({ uow, enforcer, organisation, clock }),
    certificationExpiry: new CertificationExpiryUseCase({ uow, enforcer, clock }),
    offboardPerson: new OffboardPersonUseCase({ uow, enforcer, organisation, clock }),
    changePost: new ChangePostUseCase({ uow, enforcer, organisation, clock }),
    syncPeople: new SyncPeopleUseCase({ uow, enforcer, organisation, directory: p.directory, clock }),
    findPerson: new FindPersonUseCase({ organisation }),
    supervision: new SupervisionUseCase({ supervision: p.supervision, enforcer, clock }),
    annualEvaluation: new AnnualEvaluationUseCase({
      figures: p.evaluationFigures,
      records: p.evaluationRecords,
      renderers: p.evaluationRenderers,
      calendar: p.calendar,
      sha256: p.sha256,
      enforcer,
      uow,
      clock,
    }),
    workingCalendar: new WorkingCalendarUseCase({ calendarStore: p.calendarStore, enforcer, clock }),
    listAuditEntries: new ListAuditEntriesUseCase({ auditTrail: p.auditTrail, enforcer }),
    listDataReads: new ListDataReadsUseCase({ readTrail: p.readTrail, enforcer }),
    ...audit,
    myMessages: new MyMessagesUseCase({ messages: p.messages, clock }),
    // reminders, e-mail and the job queues
    taskReminders: new TaskRemindersUseCase({
      uow,
      enforcer,
      clock,
      publicUrl: s.publicUrl,
      conditions: p.conditions,
      calendar: p.calendar,
    }),
    followUpReminders: new FollowUpRemindersUseCase({ uow, enforcer, clock, publicUrl: s.publicUrl }),
    emailDelivery: new EmailDeliveryUseCase({ messages: p.messages, emailSender: p.emailSender, clock }),
    jobs: new JobsUseCase({ jobAdmin: p.jobAdmin, enforcer, clock, uow }),
    drills: new DrillReportsUseCase({ uow, reader: p.drillReports, enforcer }),
    readiness: new ReadinessUseCase({ schema: p.schema, plugins: p.pluginHealth, connectors: p.connectors }),
    // the outbox relay to the data platform
    relayOutbox: new RelayOutboxUseCase({
      relayStore: p.outboxRelay,
      uow,
      metrics: p.metrics,
      sinks: p.sinks,
      clock,
      publicUrl: s.publicUrl,
      batchSize: s.outbox.batchSize,
      retentionDays: s.outbox.retentionDays,
    }),
    outbox: new OutboxUseCase({
      relayStore: p.outboxRelay,
      enforcer,
      clock,
      uow,
      sinks: p.sinks.map((sink) => sink.name),
    }),
  };
}

/** The tamper-evident audit log: the sequencer, checkpoints, verification and evidence export. */
function auditUseCases(p: Ports, retentionMonths: number) {
  const { enforcer, clock } = p;
  const ledger = p.auditLedger;
  const sequenceAuditLog = new SequenceAuditLogUseCase({ ledger, sha256: p.sha256 });
  const auditCheckpoints = new AuditCheckpointsUseCase({
    ledger,
    checkpoints: p.auditCheckpoints,
    keys: p.checkpointKeys,
    sink: p.checkpointSink,
    sha256: p.sha256,
    clock,
    enforcer,
    sequencer: sequenceAuditLog,
  });
  return {
    sequenceAuditLog,
    auditCheckpoints,
    verifyAuditLog: new VerifyAuditLogUseCase({
      ledger,
      checkpoints: p.auditCheckpoints,
      keys: p.checkpointKeys,
      notes: p.noteVerifier,
      sha256: p.sha256,
      enforcer,
      sequencer: sequenceAuditLog,
    }),
    proveConsistency: new ProveConsistencyUseCase({
      ledger,
      checkpoints: p.auditCheckpoints,
      sha256: p.sha256,
      enforcer,
    }),
    exportEvidence: new ExportEvidenceUseCase({
      ledger,
      keys: p.checkpointKeys,
      notes: p.noteVerifier,
      sha256: p.sha256,
      clock,
      enforcer,
      checkpoints: auditCheckpoints,
    }),
    archiveAuditMonth: new ArchiveAuditMonthUseCase({
      uow: p.uow,
      keys: p.checkpointKeys,
      notes: p.noteVerifier,
      sha256: p.sha256,
      clock,
      enforcer,
      sequencer: sequenceAuditLog,
      retentionMonths,
    }),
    auditPartitions: new AuditPartitionsUseCase({ ledger, clock }),
  };
}

export type UseCases = ReturnType<typeof buildUseCases>;
