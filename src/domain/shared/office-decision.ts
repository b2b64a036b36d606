import { ConflictError, InputError } from './errors.js';
import { err, ok, type Result } from './result.js';

/**
 * The one decision an office takes on something filed with it (a change request, a role filing):
 * accepted, with an optional comment, or refused, with a reason. Once decided, it stays decided.
 */
export type DecisionState = 'pending' | 'accepted' | 'refused';

export interface OfficeDecision {
  by: string;
  at: string;
  /** The comment on an acceptance, or the reason for a refusal. */
  comment: string | null;
}

export type DecisionInput = { decision: 'accept'; comment?: string } | { decision: 'refuse'; reason: string };

/** Records `input` on a pending `subject` (its state and decision change); `code` prefixes the errors. */
export function decideOnce(
  subject: { state: DecisionState; decision: OfficeDecision | null },
  code: string,
  input: DecisionInput,
  by: string,
  at: Date,
): Result<void, ConflictError | InputError> {
  if (subject.state !== 'pending')
    return err(new ConflictError(`${code}.ALREADY_DECIDED`, `this was already ${subject.state}`));
  if (input.decision === 'refuse') {
    if (!input.reason.trim())
      return err(
        new InputError(`${code}.REASON_REQUIRED`, 'a refusal gives its reason', [
          { path: '/reason', message: 'must not be blank' },
        ]),
      );
    subject.state = 'refused';
    subject.decision = { by, at: at.toISOString(), comment: input.reason };
  } else {
    subject.state = 'accepted';
    subject.decision = { by, at: at.toISOString(), comment: input.comment?.trim() || null };
  }
  return ok(undefined);
}
