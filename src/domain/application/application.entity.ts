import type { ProcessDefinition } from '../process-definition/process-definition.js';
import { ApplicationCollaboration } from './application-collaboration.js';
import type { Applicant, ApplicationProps } from './application-core.js';

export type { Applicant, ApplicationProps, ActionError } from './application-core.js';

/** An application (办件) and its process run: the aggregate. */
export class Application extends ApplicationCollaboration {
  static restore(props: Omit<ApplicationProps, 'copiedTo'> & { copiedTo?: string[] }, definition: ProcessDefinition): Application {
    return new Application({ ...structuredClone(props), copiedTo: props.copiedTo ?? [] }, definition);
  }

  static draft(i: { id: string; itemId: string; owningUnit: string; versionId: string; applicant: Applicant; form: Record<string, unknown>; at: Date }, definition: ProcessDefinition): Application {
    const a = new Application({
      id: i.id, caseNumber: null, itemId: i.itemId, owningUnit: i.owningUnit, versionId: i.versionId, applicant: i.applicant, form: i.form,
      state: 'draft', activeNode: null, activations: {}, passedNodes: [], tasks: [], copiedTo: [], history: [], lockVersion: 0,
      createdAt: i.at, updatedAt: i.at,
    }, definition);
    a.log({ actor: i.applicant.id, action: 'saved' }, i.at);
    return a;
  }
}
