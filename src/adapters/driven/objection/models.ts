import objection from 'objection';

const { Model } = objection;

/** Row shapes of the core tables, as objection models. Mapping to domain entities lives in the repositories. */
export class ServiceItemRow extends Model {
  static override tableName = 'service_items';
  static override jsonAttributes = ['approvals', 'rejection'];
  id!: string;
  code!: string;
  name!: string;
  owning_unit!: string;
  involved_units!: string[];
  description!: string;
  offline_procedure!: string;
  state!: string;
  approvals!: unknown[];
  rejection!: unknown;
  offboarding_reason!: string | null;
  online_version_id!: string | null;
  lock_version!: number;
  created_by!: string;
  created_at!: Date;
  updated_at!: Date;
}

export class ServiceVersionRow extends Model {
  static override tableName = 'service_versions';
  static override jsonAttributes = ['definition', 'confirmations'];
  id!: string;
  item_id!: string;
  number!: number;
  state!: string;
  definition!: unknown;
  confirmations!: unknown[];
  change_reason!: string | null;
  lock_version!: number;
  created_by!: string;
  created_at!: Date;
  updated_at!: Date;
  launched_at!: Date | null;
}

export class AuditRow extends Model {
  static override tableName = 'audit_log';
  static override idColumn = 'seq';
  static override jsonAttributes = ['before', 'after'];
  seq!: number;
  id!: string;
  occurred_at!: Date;
  actor_id!: string;
  action!: string;
  entity_type!: string;
  entity_id!: string;
  unit_key!: string | null;
  before!: unknown;
  after!: unknown;
  request_id!: string | null;
}
