import type { AttachmentsUseCase } from '../../../../application/applications/attachments.use-case.js';
import type { ListAuditEntriesUseCase } from '../../../../application/audit/list-audit-entries.use-case.js';
import type { ListDataReadsUseCase } from '../../../../application/audit/list-data-reads.use-case.js';
import type { ExportEvidenceUseCase } from '../../../../application/audit/export-evidence.use-case.js';
import type { ProveConsistencyUseCase } from '../../../../application/audit/prove-consistency.use-case.js';
import type { AuthenticateUseCase } from '../../../../application/auth/authenticate.use-case.js';
import type { EvaluateApplicationUseCase } from '../../../../application/evaluations/evaluate-application.use-case.js';
import type { FollowUpsUseCase } from '../../../../application/evaluations/follow-ups.use-case.js';
import type { MyMessagesUseCase } from '../../../../application/messages/my-messages.use-case.js';
import type { ReadinessUseCase } from '../../../../application/operations/readiness.use-case.js';
import type { CertificationExpiryUseCase } from '../../../../application/permissions/certification-expiry.use-case.js';
import type { OffboardPersonUseCase } from '../../../../application/people/offboard-person.use-case.js';
import type { ChangePostUseCase } from '../../../../application/people/change-post.use-case.js';
import type { PermissionsUseCase } from '../../../../application/permissions/permissions.use-case.js';
import type { Clock } from '../../../../application/ports/clock.port.js';
import type { Metrics } from '../../../../application/ports/metrics.port.js';
import type { PrintoutsUseCase } from '../../../../application/printouts/printouts.use-case.js';
import type { AnnualEvaluationUseCase } from '../../../../application/evaluations/annual-evaluation.use-case.js';
import type { SupervisionUseCase } from '../../../../application/supervision/supervision.use-case.js';
import type { RouteSpec } from '../route.js';
import type { SsoFlowCookie } from '../sso-flow-cookie.js';
import type { MetricsAccess } from '../metrics-access.js';
import { applicationRoutes, type ApplicationUseCases } from './applications.http.controller.js';
import { adminApplicationRoutes, type AdminApplicationUseCases } from './admin-applications.http.controller.js';
import { evaluationRoutes } from './evaluations.http.controller.js';
import { attachmentRoutes } from './attachments.http.controller.js';
import { permissionRoutes } from './permissions.http.controller.js';
import { auditRoutes } from './audit.http.controller.js';
import { dataReadRoutes } from './data-reads.http.controller.js';
import { authRoutes, type AuthUseCases } from './auth.http.controller.js';
import { healthRoutes } from './health.http.controller.js';
import { serviceItemRoutes, type ServiceItemUseCases } from './service-items.http.controller.js';
import { changeRequestRoutes } from './change-requests.http.controller.js';
import { roleFilingRoutes } from './role-filings.http.controller.js';
import { signInRoutes } from './sign-ins.http.controller.js';
import type { SignInsUseCase } from '../../../../application/auth/sign-ins.use-case.js';
import type { RoleFilingsUseCase } from '../../../../application/permissions/role-filings.use-case.js';
import type { ChangeRequestsUseCase } from '../../../../application/service-items/change-requests.use-case.js';
import { printoutRoutes } from './printouts.http.controller.js';
import { annualEvaluationRoutes } from './annual-evaluation.http.controller.js';
import { supervisionRoutes } from './supervision.http.controller.js';
import { messageRoutes } from './messages.http.controller.js';
import { handlerListRoutes, type HandlerListUseCases } from './handler-lists.http.controller.js';

/** Every use case the HTTP API calls, by the name the composition root gives it. */
export type HttpUseCases = AuthUseCases &
  ServiceItemUseCases &
  ApplicationUseCases &
  AdminApplicationUseCases &
  HandlerListUseCases & {
    authenticate: AuthenticateUseCase;
    readiness: ReadinessUseCase;
    evaluateApplication: EvaluateApplicationUseCase;
    followUps: FollowUpsUseCase;
    attachments: AttachmentsUseCase;
    permissions: PermissionsUseCase;
    offboardPerson: OffboardPersonUseCase;
    certificationExpiry: CertificationExpiryUseCase;
    changePost: ChangePostUseCase;
    listAuditEntries: ListAuditEntriesUseCase;
    listDataReads: ListDataReadsUseCase;
    exportEvidence: ExportEvidenceUseCase;
    proveConsistency: ProveConsistencyUseCase;
    supervision: SupervisionUseCase;
    annualEvaluation: AnnualEvaluationUseCase;
    myMessages: MyMessagesUseCase;
    printouts: PrintoutsUseCase;
    changeRequests: ChangeRequestsUseCase;
    roleFilings: RoleFilingsUseCase;
    signIns: SignInsUseCase;
  };

export function allRoutes(
  uc: HttpUseCases,
  o: {
    metrics: Pick<Metrics, 'exposition'>;
    metricsAccess: MetricsAccess;
    clock: Clock;
    flowCookie: SsoFlowCookie;
    attachmentMaxBytes: number;
  },
): RouteSpec[] {
  return [
    ...healthRoutes(uc, o.metrics, o.metricsAccess),
    ...authRoutes(uc, o),
    ...serviceItemRoutes(uc),
    ...changeRequestRoutes(uc),
    ...applicationRoutes(uc),
    ...adminApplicationRoutes(uc),
    ...handlerListRoutes(uc),
    ...evaluationRoutes(uc),
    ...attachmentRoutes(uc, o),
    ...permissionRoutes(uc),
    ...roleFilingRoutes(uc),
    ...signInRoutes(uc),
    ...auditRoutes(uc),
    ...dataReadRoutes(uc),
    ...supervisionRoutes(uc),
    ...annualEvaluationRoutes(uc, o),
    ...messageRoutes(uc),
    ...printoutRoutes(uc),
  ];
}
