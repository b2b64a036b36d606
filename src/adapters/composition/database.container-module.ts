import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { AUDIT_TRAIL } from '../../application/ports/audit-log.port.js';
import { CLOCK } from '../../application/ports/clock.port.js';
import { FORM_SCHEMA_CHECKER } from '../../application/ports/form-schema-checker.port.js';
import { ORGANISATION } from '../../application/ports/organisation.port.js';
import { UNIT_OF_WORK } from '../../application/ports/unit-of-work.port.js';
import { AjvFormSchemaChecker } from '../driven/ajv/ajv-form-schema-checker.js';
import { KnexOrganisation } from '../driven/objection/knex-organisation.js';
import { KnexUnitOfWork } from '../driven/objection/knex-unit-of-work.js';
import { ObjectionAuditTrail } from '../driven/objection/objection-audit-log.js';
import { SystemClock } from '../driven/system/system-clock.js';
import { METRICS, PrometheusMetrics } from '../driven/prom-client/prometheus-metrics.js';
import { KNEX } from './tokens.js';

export const databaseModule = (knex: Knex) => new ContainerModule(({ bind }) => {
  bind(KNEX).toConstantValue(knex);
  bind(CLOCK).toConstantValue(new SystemClock());
  bind(UNIT_OF_WORK).toConstantValue(new KnexUnitOfWork(knex));
  bind(ORGANISATION).toConstantValue(new KnexOrganisation(knex));
  bind(AUDIT_TRAIL).toConstantValue(new ObjectionAuditTrail(knex));
  bind(FORM_SCHEMA_CHECKER).toConstantValue(new AjvFormSchemaChecker());
  bind(METRICS).toConstantValue(new PrometheusMetrics());
});
