import { ConflictError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { RatingLevel } from './evaluation.entity.js';

export type FollowUpStatus = 'open' | 'resolved' | 'withdrawn';

export interface FollowUpProps {
  id: string;
  applicationId: string;
  itemId: string;
  owningUnit: string;
  level: RatingLevel;
  comment: string | null;
  status: FollowUpStatus;
  dueAt: Date;
  createdAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
  resolution: string | null;
}

/** 整改: what the owning unit does about a bad rating, by a due date. */
export class FollowUp {
  private constructor(private props: FollowUpProps) {}

  static restore(props: FollowUpProps): FollowUp {
    return new FollowUp({ ...props });
  }

  static open(
    i: Pick<FollowUpProps, 'id' | 'applicationId' | 'itemId' | 'owningUnit' | 'level' | 'comment' | 'dueAt'> & {
      at: Date;
    },
  ): FollowUp {
    return new FollowUp({ ...i, status: 'open', createdAt: i.at, closedAt: null, closedBy: null, resolution: null });
  }

  get id(): string {
    return this.props.id;
  }
  get status(): FollowUpStatus {
    return this.props.status;
  }
  get owningUnit(): string {
    return this.props.owningUnit;
  }
  snapshot(): FollowUpProps {
    return { ...this.props };
  }

  resolve(by: string, resolution: string, at: Date): Result<void, ConflictError> {
    if (this.props.status !== 'open')
      return err(new ConflictError('FOLLOW_UP.NOT_OPEN', `the follow-up is ${this.props.status}`));
    this.props = { ...this.props, status: 'resolved', closedAt: at, closedBy: by, resolution };
    return ok(undefined);
  }

  /** The applicant changed their rating to a satisfied one. */
  withdraw(by: string, at: Date): void {
    if (this.props.status === 'open') this.props = { ...this.props, status: 'withdrawn', closedAt: at, closedBy: by };
  }
}
