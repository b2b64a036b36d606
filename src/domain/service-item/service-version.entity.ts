import { ConflictError, NotAllowedError } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { ProcessDefinition } from '../process-definition/process-definition.js';

export const VERSION_STATES = ['draft', 'online', 'superseded', 'retired'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

export interface Confirmation {
  unit: string;
  by: string;
  at: string;
}

export interface ServiceVersionProps {
  id: string;
  itemId: string;
  number: number;
  state: VersionState;
  definition: ProcessDefinition | null;
  confirmations: Confirmation[];
  /** Why this version exists when it is a change (Art. 11) of an online one. */
  changeReason: string | null;
  lockVersion: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  launchedAt: Date | null;
}

/**
 * One version of a service item's process definition. Only a draft can be edited or confirmed;
 * once launched it is frozen, so applications started on it can finish on it.
 */
export class ServiceVersion {
  private constructor(private props: ServiceVersionProps) {}

  static restore(props: ServiceVersionProps): ServiceVersion {
    return new ServiceVersion({ ...props, confirmations: [...props.confirmations] });
  }

  static draft(input: {
    id: string;
    itemId: string;
    number: number;
    definition: ProcessDefinition | null;
    changeReason: string | null;
    by: string;
    at: Date;
  }): ServiceVersion {
    return new ServiceVersion({
      id: input.id,
      itemId: input.itemId,
      number: input.number,
      state: 'draft',
      definition: input.definition,
      confirmations: [],
      changeReason: input.changeReason,
      lockVersion: 0,
      createdBy: input.by,
      createdAt: input.at,
      updatedAt: input.at,
      launchedAt: null,
    });
  }

  get id(): string {
    return this.props.id;
  }
  get itemId(): string {
    return this.props.itemId;
  }
  get number(): number {
    return this.props.number;
  }
  get state(): VersionState {
    return this.props.state;
  }
  get definition(): ProcessDefinition | null {
    return this.props.definition;
  }
  get confirmations(): readonly Confirmation[] {
    return this.props.confirmations;
  }
  get lockVersion(): number {
    return this.props.lockVersion;
  }

  /** Called by the repository once stored: the aggregate now stands at this optimistic version. */
  markSaved(lockVersion: number): void {
    this.props.lockVersion = lockVersion;
  }

  snapshot(): ServiceVersionProps {
    return structuredClone(this.props);
  }

  /** Replaces the definition; earlier confirmations were of other content, so they lapse. */
  define(definition: ProcessDefinition, at: Date): Result<void, ConflictError> {
    const d = this.requireDraft();
    if (!d.ok) return d;
    this.props.definition = definition;
    this.props.confirmations = [];
    this.props.updatedAt = at;
    return ok(undefined);
  }

  confirm(
    unit: string,
    involvedUnits: readonly string[],
    by: string,
    at: Date,
  ): Result<void, ConflictError | NotAllowedError> {
    const d = this.requireDraft();
    if (!d.ok) return d;
    if (!this.props.definition)
      return err(new ConflictError('SERVICE_VERSION.NO_DEFINITION', 'There is no process definition to confirm yet'));
    if (!involvedUnits.includes(unit))
      return err(
        new NotAllowedError('SERVICE_VERSION.UNIT_NOT_INVOLVED', `unit '${unit}' is not involved in this service item`),
      );
    if (this.props.confirmations.some((c) => c.unit === unit)) {
      return err(
        new ConflictError(
          'SERVICE_VERSION.ALREADY_CONFIRMED',
          `unit '${unit}' has already confirmed version ${this.props.number}`,
        ),
      );
    }
    this.props.confirmations.push({ unit, by, at: at.toISOString() });
    this.props.updatedAt = at;
    return ok(undefined);
  }

  launch(at: Date): Result<void, ConflictError> {
    const d = this.requireDraft();
    if (!d.ok) return d;
    this.props.state = 'online';
    this.props.launchedAt = at;
    this.props.updatedAt = at;
    return ok(undefined);
  }

  /** The previous online version stops taking new applications; its running ones finish on it. */
  supersede(at: Date): void {
    if (this.props.state === 'online') {
      this.props.state = 'superseded';
      this.props.updatedAt = at;
    }
  }

  private requireDraft(): Result<void, ConflictError> {
    if (this.props.state !== 'draft') {
      return err(
        new ConflictError(
          'SERVICE_VERSION.NOT_DRAFT',
          `version ${this.props.number} is ${this.props.state}; only a draft version can change`,
        ),
      );
    }
    return ok(undefined);
  }
}
