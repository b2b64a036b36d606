import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import type { Ports } from './ports.js';
import { defaultCheckpointKeyFile, FileCheckpointKeys } from '../driven/audit/ed25519-checkpoint-keys.js';
import { FileCheckpointSink } from '../driven/audit/file-checkpoint-sink.js';
import { KnexAuditCheckpoints } from '../driven/knex/knex-audit-checkpoints.js';
import { KnexAuditLedger } from '../driven/knex/knex-audit-ledger.js';
import { offlineAuditPorts } from './offline.js';

/**
 * The tamper-evident audit log: its leaves and checkpoints on PostgreSQL, the checkpoint key
 * (AUDIT_SIGNING_KEY_FILE, or generated under the data dir like the printout key) and the file
 * every checkpoint is appended to (AUDIT_CHECKPOINT_FILE).
 */
export function auditPorts(
  knex: Knex,
  config: Pick<Config, 'dataDir' | 'audit'>,
): Pick<Ports, 'auditLedger' | 'auditCheckpoints' | 'checkpointKeys' | 'noteVerifier' | 'checkpointSink' | 'sha256'> {
  return {
    auditLedger: new KnexAuditLedger(knex),
    auditCheckpoints: new KnexAuditCheckpoints(knex),
    checkpointKeys: new FileCheckpointKeys(
      config.audit.signingKeyFile ?? defaultCheckpointKeyFile(config.dataDir),
      config.audit.origin,
    ),
    checkpointSink: config.audit.checkpointFile ? new FileCheckpointSink(config.audit.checkpointFile) : null,
    ...offlineAuditPorts(),
  };
}
