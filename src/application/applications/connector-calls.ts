import type { Application } from '../../domain/application/application.entity.js';
import type { TransactionScope } from '../ports/unit-of-work.port.js';

/** Queues a connector call for every transfer node the actions since the application was loaded reached. */
export async function enqueueConnectorCalls(scope: TransactionScope, a: Application): Promise<void> {
  const p = a.current;
  for (const h of a.recorded) {
    if (h.action !== 'connector-requested' || !h.node) continue;
    const connector = String(h.detail?.connector);
    const declared = a.process.nodes.find((n) => n.key === h.node)?.connectorFields ?? [];
    await scope.connectorCalls.enqueue({
      applicationId: p.id,
      node: h.node,
      activation: Number(h.detail?.activation),
      request: {
        connector,
        caseNumber: p.caseNumber,
        applicationId: p.id,
        node: h.node,
        fields: Object.fromEntries(declared.filter((f) => Object.hasOwn(p.form, f)).map((f) => [f, p.form[f]])),
        applicant: { id: p.applicant.id, type: p.applicant.type, unit: p.applicant.unit },
      },
    });
  }
}
