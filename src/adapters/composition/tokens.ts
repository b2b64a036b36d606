/** Tokens of the things the driving adapters (HTTP, CLI) take from the container. */
export const CONFIG = Symbol.for('app.config');
export const KNEX = Symbol.for('app.knex');
export const LOGGER = Symbol.for('app.logger');
export const POLICY_WATCHER = Symbol.for('app.policyWatcher');
/** The instance's PgNotificationListener: one connection LISTENing for what other instances announce. */
export const PG_NOTIFICATIONS = Symbol.for('app.pgNotifications');
/** `(sessionIds) => void`: what this instance does, after commit, with the sessions a transaction ended (bound by the auth module). */
export const SESSIONS_ENDED = Symbol.for('app.sessionsEnded');
/** The LiveWorkingCalendar itself (WORKING_CALENDAR resolves to it unless a test rebinds that). */
export const LIVE_CALENDAR = Symbol.for('app.liveCalendar');

export const USE_CASES = {
  taskReminders: Symbol.for('useCase.taskReminders'),
  emailDelivery: Symbol.for('useCase.emailDelivery'),
  jobs: Symbol.for('useCase.jobs'),
  followUpReminders: Symbol.for('useCase.followUpReminders'),
  applyOnboarding: Symbol.for('useCase.applyOnboarding'),
  decideServiceItem: Symbol.for('useCase.decideServiceItem'),
  reapplyOnboarding: Symbol.for('useCase.reapplyOnboarding'),
  defineProcess: Symbol.for('useCase.defineProcess'),
  confirmVersion: Symbol.for('useCase.confirmVersion'),
  launchVersion: Symbol.for('useCase.launchVersion'),
  requestChange: Symbol.for('useCase.requestChange'),
  requestOffboarding: Symbol.for('useCase.requestOffboarding'),
  getServiceItem: Symbol.for('useCase.getServiceItem'),
  listServiceItems: Symbol.for('useCase.listServiceItems'),
  catalogue: Symbol.for('useCase.catalogue'),
  login: Symbol.for('useCase.login'),
  logout: Symbol.for('useCase.logout'),
  startApplication: Symbol.for('useCase.startApplication'),
  submitApplication: Symbol.for('useCase.submitApplication'),
  getApplication: Symbol.for('useCase.getApplication'),
  listMyApplications: Symbol.for('useCase.listMyApplications'),
  endApplication: Symbol.for('useCase.endApplication'),
  actOnTask: Symbol.for('useCase.actOnTask'),
  inbox: Symbol.for('useCase.inbox'),
  noteApplication: Symbol.for('useCase.noteApplication'),
  evaluateApplication: Symbol.for('useCase.evaluateApplication'),
  followUps: Symbol.for('useCase.followUps'),
  supervision: Symbol.for('useCase.supervision'),
  attachments: Symbol.for('useCase.attachments'),
  callBusinessSystem: Symbol.for('useCase.callBusinessSystem'),
  permissions: Symbol.for('useCase.permissions'),
  offboardPerson: Symbol.for('useCase.offboardPerson'),
  syncPeople: Symbol.for('useCase.syncPeople'),
  ssoLogin: Symbol.for('useCase.ssoLogin'),
  absence: Symbol.for('useCase.absence'),
  workingCalendar: Symbol.for('useCase.workingCalendar'),
  printouts: Symbol.for('useCase.printouts'),
} as const;
