/**
 * The authorization matrix (issue 12): for every operation of the OpenAPI document, what each kind
 * of demo actor gets, as a status, when the resource belongs to them or to someone else, in their
 * unit or another. `test/e2e/authorization-matrix.e2e.test.ts` checks that the operations here are
 * exactly those of `describeApi()` and runs every cell against the real app on real PostgreSQL.
 *
 * Size: 99 operations × 11 actor kinds = 1089 cells, every one run.
 *
 * The resources (built by the test):
 * - the item: a finance item (owning unit finance, involved unit academic-affairs) online, whose
 *   first step is offered to the finance handlers' pool; service-item cells use a finance item in the
 *   state the operation needs (pending approval, rejected, draft, confirmed draft, online);
 * - the application: student-xx's application to that item, its first task claimed (held) by
 *   cw-handler; a completed one for printouts and ratings, a rated one for follow-ups;
 * - an attachment the applicant uploaded, a message the urge sent to the task's holder, a printout.
 *
 * Cells: `OK` any 2xx; `AUTH` 401 (no session); `DENY` 403; `GONE` 404 (the resource is not theirs to
 * know of: messages are only ever someone's own). Every other status is written as a number.
 */
export const ACTORS = {
  anonymous: null,
  /** student-xx, whose application it is */
  applicant: 'student-xx',
  /** student-hk, another college's student: someone else's application */
  otherStudent: 'student-hk',
  /** cw-handler: a handler of the owning unit (finance) who holds the application's task */
  taskHolder: 'cw-handler',
  /** hq-handler: a handler of another unit (logistics) */
  otherHandler: 'hq-handler',
  /** cw-admin: the service admin of the owning unit */
  ownAdmin: 'cw-admin',
  /** jw-admin: the service admin of an involved unit (academic-affairs) */
  involvedAdmin: 'jw-admin',
  /** hq-admin: the service admin of a unit that has nothing to do with the item */
  otherAdmin: 'hq-admin',
  auditor: 'auditor',
  itOffice: 'it-officer',
  presidentOffice: 'xb-officer',
} as const;

export type ActorKind = keyof typeof ACTORS;
export const ACTOR_KINDS = Object.keys(ACTORS) as ActorKind[];

export const OK = 'ok';
export const AUTH = 401;
export const DENY = 403;
export const GONE = 404;
export type Expected = typeof OK | number;

/** One row: the expected status per actor kind, in the order of ACTORS. */
type Row = [
  anonymous: Expected,
  applicant: Expected,
  otherStudent: Expected,
  taskHolder: Expected,
  otherHandler: Expected,
  ownAdmin: Expected,
  involvedAdmin: Expected,
  otherAdmin: Expected,
  auditor: Expected,
  itOffice: Expected,
  presidentOffice: Expected,
];

const everyone: Row = [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK];
const signedIn: Row = [AUTH, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK];
/** Who reads the application: its applicant and handlers, the admins of the item's units, the offices, auditors. */
const readers: Row = [AUTH, OK, DENY, OK, DENY, OK, OK, DENY, OK, OK, OK];
/** The applicant and whoever holds (or held) one of its tasks: overseers read, but neither attach nor issue printouts. */
const applicantAndHandlers: Row = [AUTH, OK, DENY, OK, DENY, DENY, DENY, DENY, DENY, DENY, DENY];
const holderOnly: Row = [AUTH, DENY, DENY, OK, DENY, DENY, DENY, DENY, DENY, DENY, DENY];
const applicantOnly: Row = [AUTH, OK, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY];
const ownAdminOnly: Row = [AUTH, DENY, DENY, DENY, DENY, OK, DENY, DENY, DENY, DENY, DENY];
const itOfficeOnly: Row = [AUTH, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OK, DENY];
/** Who manages the item's applications (search, 撤销, 改派): the owning unit's service admins and the IT Office. */
const managers: Row = [AUTH, DENY, DENY, DENY, DENY, OK, DENY, DENY, DENY, OK, DENY];
const auditors: Row = [AUTH, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OK, OK, DENY];
const offices: Row = [AUTH, DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OK, OK];
const evaluationReaders: Row = [AUTH, DENY, DENY, DENY, DENY, DENY, DENY, DENY, OK, OK, OK];
/** Single sign-on is not configured in the test app: the same answer to everyone. */
const noSso = (status: number): Row => [
  status,
  status,
  status,
  status,
  status,
  status,
  status,
  status,
  status,
  status,
  status,
];

// prettier-ignore
const TABLE = {
  //                    anon  appl  stud  hold  othH  ownA  invA  othA  audi  it    xb
  // health, metrics and the printout key are public; /metrics wants its own token, not a session
  metrics:             [AUTH, AUTH, AUTH, AUTH, AUTH, AUTH, AUTH, AUTH, AUTH, AUTH, AUTH],
  healthz:             everyone,
  readyz:              everyone,
  printoutPublicKey:   everyone,
  printoutPublicKeyPem: everyone,
  verifyPrintout:      everyone,
  // sign-in
  casLogin:            noSso(GONE),
  casCallback:         noSso(GONE),
  oidcLogin:           noSso(GONE),
  oidcCallback:        noSso(GONE),
  casSingleLogout:     noSso(GONE),
  login:               everyone,
  logout:              signedIn,
  me:                  signedIn,
  // the catalogue and service items
  catalogue:           signedIn,
  listServiceItems:    signedIn,
  getServiceItem:      [AUTH, DENY, DENY, DENY, DENY, OK,   OK,   DENY, OK,   OK,   OK],
  applyOnboarding:     ownAdminOnly,
  approveServiceItem:  offices,
  rejectServiceItem:   offices,
  reapplyOnboarding:   ownAdminOnly,
  defineProcess:       ownAdminOnly,
  importBpmn:          ownAdminOnly,
  // who reads the item reads its versions' definitions, as BPMN too
  exportBpmn:          [AUTH, DENY, DENY, DENY, DENY, OK,   OK,   DENY, OK,   OK,   OK],
  confirmVersion:      [AUTH, DENY, DENY, DENY, DENY, OK,   OK,   DENY, DENY, DENY, DENY],
  launchVersion:       [AUTH, DENY, DENY, DENY, DENY, OK,   DENY, DENY, DENY, OK,   DENY],
  requestChange:       ownAdminOnly,
  requestOffboarding:  ownAdminOnly,
  // change requests (变更申请): read by whoever reads the item, decided by the IT Office alone
  listChangeRequests:  signedIn,
  getChangeRequest:    [AUTH, DENY, DENY, DENY, DENY, OK,   OK,   DENY, OK,   OK,   OK],
  decideChangeRequest: itOfficeOnly,
  // applications: anyone signed in applies, even staff (e.g. for the seal)
  startApplication:    signedIn,
  listMyApplications:  signedIn,
  getApplication:      readers,
  applicationHistory:  readers,
  applicationRoad:     readers,
  applicationDiagram:  readers,
  submitApplication:   applicantOnly,
  withdrawApplication: applicantOnly,
  cancelApplication:   applicantOnly,
  // managing an item's applications (管理端): the owning unit's service admins and the IT Office
  searchItemApplications: managers,
  adminCancelApplication: managers,
  reassignTask:        managers,
  jumpApplication:     managers,
  // past authorization the move is refused: the application already runs on the online version
  moveApplicationsToVersion: [AUTH, DENY, DENY, DENY, DENY, 409, DENY, DENY, DENY, 409, DENY],
  // readers who only oversee (admins, offices, auditors) read but do not write in the history
  commentApplication:  [AUTH, OK,   DENY, OK,   DENY, DENY, DENY, DENY, DENY, DENY, DENY],
  urgeApplication:     [AUTH, OK,   DENY, DENY, DENY, OK,   DENY, DENY, DENY, DENY, DENY],
  evaluateApplication: applicantOnly,
  issuePrintout:       applicantAndHandlers,
  uploadAttachment:    applicantAndHandlers,
  listAttachments:     readers,
  downloadAttachment:  readers,
  // tasks: only the one holding it acts (claim: the pool's members; resolve: the one it was delegated to, cw-admin here)
  inbox:               signedIn,
  todoCount:           signedIn,
  // the handler's lists are always one's own (empty for someone with none); a batch answers 200 with each task's own outcome
  doneTasks:           signedIn,
  copiedToMe:          signedIn,
  taskCounts:          signedIn,
  batchTaskAction:     signedIn,
  setAbsence:          signedIn,
  clearAbsence:        signedIn,
  claimTask:           holderOnly,
  unclaimTask:         holderOnly,
  approveTask:         holderOnly,
  rejectTask:          holderOnly,
  returnTask:          holderOnly,
  transferTask:        holderOnly,
  delegateTask:        holderOnly,
  resolveTask:         ownAdminOnly,
  addSignerTask:       holderOnly,
  removeSignerTask:    holderOnly,
  copyTask:            holderOnly,
  takeBackTask:        holderOnly,
  // ratings and follow-ups
  listFollowUps:       signedIn,
  resolveFollowUp:     ownAdminOnly,
  // messages are only ever one's own: someone else's is not found
  listMyMessages:      signedIn,
  readMyMessage:       [AUTH, GONE, GONE, OK,   GONE, GONE, GONE, GONE, GONE, GONE, GONE],
  // permissions and people: the IT Office
  listRoleAssignments: itOfficeOnly,
  grantRole:           itOfficeOnly,
  revokeRole:          itOfficeOnly,
  offboardPerson:      itOfficeOnly,
  changePost:          itOfficeOnly,
  recordCertification: itOfficeOnly,
  // filings (备案): a unit's service admin files for its unit; the IT Office decides; auditors read
  fileRole:            ownAdminOnly,
  listRoleFilings:     signedIn,
  getRoleFiling:       [AUTH, DENY, DENY, DENY, DENY, OK,   DENY, DENY, OK,   OK,   DENY],
  decideRoleFiling:    itOfficeOnly,
  listExpiringCertifications: itOfficeOnly,
  // audit and supervision
  listAuditEntries:    auditors,
  listDataReads:       auditors,
  listSignIns:         auditors,
  listConcurrentSignIns: auditors,
  exportAuditEvidence: auditors,
  proveAuditConsistency: auditors,
  superviseAllUnits:   offices,
  superviseUnit:       [AUTH, DENY, DENY, DENY, DENY, OK,   DENY, DENY, DENY, OK,   OK],
  // the annual evaluation (Art. 18): the offices export; auditors read the figures and the filings
  getEvaluationFigures:  evaluationReaders,
  exportEvaluation:      offices,
  listEvaluationExports: evaluationReaders,
  getEvaluationExport:   evaluationReaders,
} satisfies Record<string, Row>;

export type OperationId = keyof typeof TABLE;

/** The matrix by operation and actor kind. */
export const AUTHORIZATION_MATRIX = Object.fromEntries(
  Object.entries(TABLE).map(([op, row]) => [op, Object.fromEntries(ACTOR_KINDS.map((k, i) => [k, row[i]!]))]),
) as Record<OperationId, Record<ActorKind, Expected>>;
