import {
  ATTACHMENT_TYPES,
  checkFileName,
  displayFileName,
  sniffAttachmentType,
  type AttachmentType,
} from '../../domain/application/attachment-policy.js';
import type { AttachmentInspector } from '../ports/attachment-inspector.port.js';
import { isTerminal } from '../../domain/application/application-state.js';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  type FieldProblem,
} from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { AttachmentRecord, AttachmentStore } from '../ports/attachment-store.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { PolicyEnforcer } from '../ports/policy-enforcer.port.js';
import type { ReadTrail } from '../ports/read-trail.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { recordChange } from '../shared/record-change.js';
import { forbidden, loadApplication, mayRead } from './application-access.js';

const view = (a: AttachmentRecord) => ({
  ...a,
  fileName: displayFileName(a.fileName),
  createdAt: a.createdAt.toISOString(),
});
export type AttachmentView = ReturnType<typeof view>;

/**
 * Attachments: uploaded by the applicant (until the application ends) or by a handler holding an
 * open task; served only to those who may read the application, checked against their stored hash.
 */
export class AttachmentsUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      enforcer: PolicyEnforcer;
      clock: Clock;
      attachments: AttachmentStore;
      inspector: AttachmentInspector;
      attachmentMaxBytes: number;
      attachmentMaxFiles: number;
      readTrail: ReadTrail;
    },
  ) {}

  async upload(input: {
    actor: Actor;
    applicationId: string;
    fileName: string;
    contentType: string;
    content: Buffer;
  }): Promise<Result<AttachmentView, NotFoundError | NotAllowedError | ConflictError | InputError>> {
    const { uow, attachments, clock } = this.deps;
    const problems: FieldProblem[] = [];
    const declared = input.contentType.split(';')[0]!.trim().toLowerCase();
    const accepted = (ATTACHMENT_TYPES as readonly string[]).includes(declared) ? (declared as AttachmentType) : null;
    const name = checkFileName(input.fileName, accepted);
    if (!name.ok) problems.push({ in: 'query', path: '/name', message: name.message });
    if (!accepted)
      problems.push({ in: 'header', path: '/Content-Type', message: `one of ${ATTACHMENT_TYPES.join(', ')}` });
    else if (sniffAttachmentType(input.content) !== declared)
      problems.push({ in: 'header', path: '/Content-Type', message: `the content is not ${declared}` });
    if (input.content.length === 0) problems.push({ path: '/body', message: 'the file is empty' });
    if (input.content.length > this.deps.attachmentMaxBytes)
      problems.push({ path: '/body', message: `at most ${this.deps.attachmentMaxBytes} bytes` });
    if (!problems.length && accepted) {
      // the first bytes only say what the file claims to be: the whole of it must be that
      const why = await this.deps.inspector.inspect({ type: accepted, content: input.content });
      if (why) problems.push({ path: '/body', message: `not a well-formed ${declared} file: ${why}` });
    }
    if (problems.length) return err(new InputError('ATTACHMENT.INVALID', 'The attachment is not accepted', problems));
    const fileName = name.ok ? name.name : '';

    const id = globalThis.crypto.randomUUID();
    const { sha256 } = await attachments.put(id, input.content);
    const record: AttachmentRecord = {
      id,
      applicationId: input.applicationId,
      uploadedBy: input.actor.personId,
      fileName,
      contentType: declared,
      size: input.content.length,
      sha256,
      createdAt: clock.now(),
    };
    try {
      const result = await uow.run(async (scope) => {
        const found = await loadApplication(scope.applications, input.applicationId, true);
        if (!found.ok) return found;
        const a = found.value;
        const holdsTask = a.tasks.some((t) => t.status === 'open' && t.assignee === input.actor.personId);
        if (a.applicantId !== input.actor.personId && !holdsTask)
          return err(
            new NotAllowedError(
              'ATTACHMENT.NOT_ALLOWED',
              'the applicant and the handlers of the current step attach files',
            ),
          );
        if (isTerminal(a.state))
          return err(new ConflictError('ATTACHMENT.APPLICATION_ENDED', `the application is ${a.state}`));
        if ((await scope.attachments.listByApplication(a.id)).length >= this.deps.attachmentMaxFiles) {
          return err(
            new ConflictError('ATTACHMENT.TOO_MANY', `at most ${this.deps.attachmentMaxFiles} files per application`),
          );
        }
        await scope.attachments.add(record);
        await recordChange(scope, {
          actor: input.actor,
          action: 'attachment.added',
          entityType: 'application',
          entityId: a.id,
          unit: a.owningUnit,
          before: null,
          after: { attachment: record.id, fileName: record.fileName, sha256: record.sha256, size: record.size },
          at: record.createdAt,
        });
        return ok(view(record));
      });
      if (!result.ok) await attachments.remove(record.id);
      return result;
    } catch (e) {
      await attachments.remove(record.id);
      throw e;
    }
  }

  async list(input: {
    actor: Actor;
    applicationId: string;
  }): Promise<Result<{ items: AttachmentView[] }, NotFoundError | NotAllowedError>> {
    return this.deps.uow.run(async (scope) => {
      const found = await loadApplication(scope.applications, input.applicationId);
      if (!found.ok) return found;
      if (
        !(await mayRead({ enforcer: this.deps.enforcer, items: scope.serviceItems }, input.actor.personId, found.value))
      )
        return forbidden();
      return ok({ items: (await scope.attachments.listByApplication(input.applicationId)).map(view) });
    });
  }

  async download(input: {
    actor: Actor;
    attachmentId: string;
  }): Promise<Result<{ record: AttachmentRecord; content: Buffer }, NotFoundError | NotAllowedError>> {
    const meta = await this.deps.uow.run(async (scope) => {
      const record = await scope.attachments.findById(input.attachmentId);
      if (!record)
        return err(new NotFoundError('ATTACHMENT.NOT_FOUND', `attachment '${input.attachmentId}' does not exist`));
      const a = await scope.applications.findById(record.applicationId);
      if (!a || !(await mayRead({ enforcer: this.deps.enforcer, items: scope.serviceItems }, input.actor.personId, a)))
        return forbidden();
      if (a.applicantId !== input.actor.personId) {
        this.deps.readTrail.record({
          at: this.deps.clock.now(),
          readerId: input.actor.personId,
          subjectId: a.applicantId,
          applicationId: a.id,
          what: 'attachment',
          detail: record.id,
          requestId: input.actor.requestId,
        });
      }
      return ok(record);
    });
    if (!meta.ok) return meta;
    const stored = await this.deps.attachments.get(meta.value.id);
    if (!stored || stored.sha256 !== meta.value.sha256) {
      throw new Error(`attachment ${meta.value.id}: stored content is missing or does not match its hash`);
    }
    return ok({ record: meta.value, content: stored.content });
  }
}
