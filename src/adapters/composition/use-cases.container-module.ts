import { JOB_ADMIN, type JobAdmin } from '../../application/ports/job-admin.port.js';
import { JobsUseCase } from '../../application/jobs/jobs.use-case.js';
import { FollowUpRemindersUseCase } from '../../application/reminders/follow-up-reminders.use-case.js';
import { PRINTOUT_RENDERER, type PrintoutRenderer } from '../../application/ports/printout.port.js';
import { PRINTOUT_SIGNER_SOURCE, PRINTOUT_STORE, type PrintoutSignerSource, type PrintoutStore } from '../../application/ports/printout-store.port.js';
import { PrintoutsUseCase } from '../../application/printouts/printouts.use-case.js';
import { MESSAGES, type Messages } from '../../application/ports/notifier.port.js';
import { EMAIL_SENDER, type EmailSender } from '../../application/ports/email-sender.port.js';
import { TaskRemindersUseCase } from '../../application/reminders/task-reminders.use-case.js';
import { EmailDeliveryUseCase } from '../../application/reminders/email-delivery.use-case.js';
import { ContainerModule, type ResolutionContext } from 'inversify';
import { CLOCK, type Clock } from '../../application/ports/clock.port.js';
import { FORM_SCHEMA_CHECKER, type FormSchemaChecker } from '../../application/ports/form-schema-checker.port.js';
import { IDENTITY_PROVIDER, type IdentityProvider } from '../../application/ports/identity-provider.port.js';
import { ORGANISATION, type Organisation } from '../../application/ports/organisation.port.js';
import { POLICY_ENFORCER, type PolicyEnforcer } from '../../application/ports/policy-enforcer.port.js';
import { SESSION_STORE, type SessionStore } from '../../application/ports/session-store.port.js';
import { UNIT_OF_WORK, type UnitOfWork } from '../../application/ports/unit-of-work.port.js';
import { LoginUseCase } from '../../application/auth/login/login.use-case.js';
import { LogoutUseCase } from '../../application/auth/logout/logout.use-case.js';
import { ApplyOnboardingUseCase } from '../../application/service-items/apply-onboarding/apply-onboarding.use-case.js';
import { CatalogueUseCase } from '../../application/service-items/catalogue/catalogue.use-case.js';
import { ConfirmVersionUseCase } from '../../application/service-items/confirm-version/confirm-version.use-case.js';
import { DecideServiceItemUseCase } from '../../application/service-items/decide-service-item/decide-service-item.use-case.js';
import { DefineProcessUseCase } from '../../application/service-items/define-process/define-process.use-case.js';
import { GetServiceItemUseCase } from '../../application/service-items/get-service-item/get-service-item.use-case.js';
import { LaunchVersionUseCase } from '../../application/service-items/launch-version/launch-version.use-case.js';
import { ListServiceItemsUseCase } from '../../application/service-items/list-service-items/list-service-items.use-case.js';
import { ReapplyOnboardingUseCase } from '../../application/service-items/reapply-onboarding/reapply-onboarding.use-case.js';
import { RequestChangeUseCase } from '../../application/service-items/request-change/request-change.use-case.js';
import { RequestOffboardingUseCase } from '../../application/service-items/request-offboarding/request-offboarding.use-case.js';
import { FORM_VALIDATOR, type FormValidator } from '../../application/ports/form-validator.port.js';
import { TASK_INBOX, type TaskInbox } from '../../application/ports/application.repository.port.js';
import { APPLICATION_SUMMARIES, type ApplicationSummaries } from '../../application/ports/application-summaries.port.js';
import { CONDITION_EVALUATOR, type ConditionEvaluator } from '../../application/ports/condition-evaluator.port.js';
import { StartApplicationUseCase } from '../../application/applications/start-application/start-application.use-case.js';
import { SubmitApplicationUseCase } from '../../application/applications/submit-application/submit-application.use-case.js';
import { GetApplicationUseCase } from '../../application/applications/get-application/get-application.use-case.js';
import { ListMyApplicationsUseCase } from '../../application/applications/list-my-applications/list-my-applications.use-case.js';
import { EndApplicationUseCase } from '../../application/applications/end-application/end-application.use-case.js';
import { ActOnTaskUseCase } from '../../application/applications/act-on-task/act-on-task.use-case.js';
import { InboxUseCase } from '../../application/applications/inbox/inbox.use-case.js';
import { NoteApplicationUseCase } from '../../application/applications/note-application/note-application.use-case.js';
import type { Config } from '../../config.js';
import { EvaluateApplicationUseCase } from '../../application/evaluations/evaluate-application/evaluate-application.use-case.js';
import { FollowUpsUseCase } from '../../application/evaluations/follow-ups/follow-ups.use-case.js';
import { SupervisionUseCase } from '../../application/supervision/supervision.use-case.js';
import { SUPERVISION_QUERIES, type SupervisionQueries } from '../../application/ports/supervision.port.js';
import { CallBusinessSystemUseCase } from '../../application/applications/call-business-system/call-business-system.use-case.js';
import { BUSINESS_CONNECTORS, type BusinessConnectors } from '../../application/ports/business-connectors.port.js';
import { PermissionsUseCase } from '../../application/permissions/permissions.use-case.js';
import { OffboardPersonUseCase } from '../../application/people/offboard-person.use-case.js';
import { SyncPeopleUseCase } from '../../application/people/sync-people.use-case.js';
import { DIRECTORY, type Directory } from '../../application/ports/directory.port.js';
import { LOGIN_ATTEMPTS, type LoginAttempts } from '../../application/ports/login-attempts.port.js';
import { SSO_PROVIDERS, type SsoProvider } from '../../application/ports/sso-provider.port.js';
import { SsoLoginUseCase } from '../../application/auth/sso/sso-login.use-case.js';
import { AbsenceUseCase } from '../../application/people/absence.use-case.js';
import { AttachmentsUseCase } from '../../application/applications/attachments/attachments.use-case.js';
import { ATTACHMENT_STORE, type AttachmentStore } from '../../application/ports/attachment-store.port.js';
import { WORKING_CALENDAR } from '../driven/calendar/live-working-calendar.js';
import type { WorkingCalendar } from '../../domain/calendar/working-calendar.js';
import { WorkingCalendarUseCase } from '../../application/calendar/working-calendar.use-case.js';
import { CALENDAR_STORE, type CalendarStore } from '../../application/ports/calendar-store.port.js';
import { CONFIG, USE_CASES } from './tokens.js';

/** The ports every use case may draw on, resolved once per construction. */
function ports(ctx: ResolutionContext) {
  return {
    uow: ctx.get<UnitOfWork>(UNIT_OF_WORK),
    enforcer: ctx.get<PolicyEnforcer>(POLICY_ENFORCER),
    organisation: ctx.get<Organisation>(ORGANISATION),
    clock: ctx.get<Clock>(CLOCK),
    forms: ctx.get<FormSchemaChecker>(FORM_SCHEMA_CHECKER),
    identity: ctx.get<IdentityProvider>(IDENTITY_PROVIDER),
    sessions: ctx.get<SessionStore>(SESSION_STORE),
    formValidator: ctx.get<FormValidator>(FORM_VALIDATOR),
    conditions: ctx.get<ConditionEvaluator>(CONDITION_EVALUATOR),
    inbox: ctx.get<TaskInbox>(TASK_INBOX),
    summaries: ctx.get<ApplicationSummaries>(APPLICATION_SUMMARIES),
    supervision: ctx.get<SupervisionQueries>(SUPERVISION_QUERIES),
    caseNumberPattern: ctx.get<Config>(CONFIG).caseNumberPattern,
    evaluationChangeWindowDays: ctx.get<Config>(CONFIG).evaluationChangeWindowDays,
    followUpWorkingDays: ctx.get<Config>(CONFIG).followUpWorkingDays,
    calendar: ctx.get<WorkingCalendar>(WORKING_CALENDAR),
    calendarStore: ctx.get<CalendarStore>(CALENDAR_STORE),
    attachments: ctx.get<AttachmentStore>(ATTACHMENT_STORE),
    attachmentMaxBytes: ctx.get<Config>(CONFIG).attachmentMaxBytes,
    attachmentMaxFiles: ctx.get<Config>(CONFIG).attachmentMaxFiles,
    connectors: ctx.get<BusinessConnectors>(BUSINESS_CONNECTORS),
    directory: ctx.get<Directory>(DIRECTORY),
    loginAttempts: ctx.get<LoginAttempts>(LOGIN_ATTEMPTS),
    sso: ctx.get<SsoProvider[]>(SSO_PROVIDERS),
    loginMaxFailures: ctx.get<Config>(CONFIG).loginMaxFailures,
    messages: ctx.get<Messages>(MESSAGES),
    jobAdmin: ctx.get<JobAdmin>(JOB_ADMIN),
    emailSender: ctx.get<EmailSender | null>(EMAIL_SENDER),
    publicUrl: ctx.get<Config>(CONFIG).publicUrl,
    printouts: ctx.get<PrintoutStore>(PRINTOUT_STORE),
    signer: ctx.get<PrintoutSignerSource>(PRINTOUT_SIGNER_SOURCE),
    renderer: ctx.get<PrintoutRenderer>(PRINTOUT_RENDERER),
    /** Where the QR code of a printout leads: the online check of its code. */
    verifyUrl: (code: string) => `${ctx.get<Config>(CONFIG).publicUrl}/api/v1/verify/${code}`,
  };
}

export const useCasesModule = new ContainerModule(({ bind }) => {
  const uc = <T>(token: symbol, make: (p: ReturnType<typeof ports>) => T) =>
    bind<T>(token).toDynamicValue((ctx) => make(ports(ctx))).inSingletonScope();
  uc(USE_CASES.applyOnboarding, (p) => new ApplyOnboardingUseCase(p));
  uc(USE_CASES.decideServiceItem, (p) => new DecideServiceItemUseCase(p));
  uc(USE_CASES.reapplyOnboarding, (p) => new ReapplyOnboardingUseCase(p));
  uc(USE_CASES.defineProcess, (p) => new DefineProcessUseCase(p));
  uc(USE_CASES.confirmVersion, (p) => new ConfirmVersionUseCase(p));
  uc(USE_CASES.launchVersion, (p) => new LaunchVersionUseCase(p));
  uc(USE_CASES.requestChange, (p) => new RequestChangeUseCase(p));
  uc(USE_CASES.requestOffboarding, (p) => new RequestOffboardingUseCase(p));
  uc(USE_CASES.getServiceItem, (p) => new GetServiceItemUseCase(p));
  uc(USE_CASES.listServiceItems, (p) => new ListServiceItemsUseCase(p));
  uc(USE_CASES.catalogue, (p) => new CatalogueUseCase(p));
  uc(USE_CASES.login, (p) => new LoginUseCase(p));
  uc(USE_CASES.logout, (p) => new LogoutUseCase(p));
  uc(USE_CASES.startApplication, (p) => new StartApplicationUseCase(p));
  uc(USE_CASES.submitApplication, (p) => new SubmitApplicationUseCase(p));
  uc(USE_CASES.getApplication, (p) => new GetApplicationUseCase(p));
  uc(USE_CASES.listMyApplications, (p) => new ListMyApplicationsUseCase(p));
  uc(USE_CASES.endApplication, (p) => new EndApplicationUseCase(p));
  uc(USE_CASES.actOnTask, (p) => new ActOnTaskUseCase(p));
  uc(USE_CASES.inbox, (p) => new InboxUseCase(p));
  uc(USE_CASES.noteApplication, (p) => new NoteApplicationUseCase(p));
  uc(USE_CASES.evaluateApplication, (p) => new EvaluateApplicationUseCase(p));
  uc(USE_CASES.followUps, (p) => new FollowUpsUseCase(p));
  uc(USE_CASES.supervision, (p) => new SupervisionUseCase(p));
  uc(USE_CASES.attachments, (p) => new AttachmentsUseCase(p));
  uc(USE_CASES.callBusinessSystem, (p) => new CallBusinessSystemUseCase(p));
  uc(USE_CASES.permissions, (p) => new PermissionsUseCase(p));
  uc(USE_CASES.offboardPerson, (p) => new OffboardPersonUseCase(p));
  uc(USE_CASES.syncPeople, (p) => new SyncPeopleUseCase(p));
  uc(USE_CASES.ssoLogin, (p) => new SsoLoginUseCase(p));
  uc(USE_CASES.absence, (p) => new AbsenceUseCase(p));
  uc(USE_CASES.printouts, (p) => new PrintoutsUseCase(p));
  uc(USE_CASES.taskReminders, (p) => new TaskRemindersUseCase(p));
  uc(USE_CASES.followUpReminders, (p) => new FollowUpRemindersUseCase(p));
  uc(USE_CASES.jobs, (p) => new JobsUseCase(p));
  uc(USE_CASES.emailDelivery, (p) => new EmailDeliveryUseCase(p));
  uc(USE_CASES.workingCalendar, (p) => new WorkingCalendarUseCase(p));
});
