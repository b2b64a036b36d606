import { Command, Errors, Flags } from '@oclif/core';
import type { ConsistencyVerification } from '../../../src/application/audit/verify-consistency-proof.use-case.js';
import { buildOfflineUseCases } from '../../../src/adapters/composition/offline.js';
import { readInput, verifierKey } from '../../offline-input.js';

/**
 * Checks offline that a newer signed checkpoint of the audit log extends an older one: no server, no
 * database, no configuration. Like `hall audit verify-bundle` it is no BaseCommand (whose init()
 * opens the database): its use case comes from the composition root's offline part.
 */
export default class AuditVerifyConsistency extends Command {
  static override summary =
    'Check offline that a newer audit checkpoint extends an older one (no server, no database).';
  static override description =
    'Both checkpoints must be signed by the key given (--public-key, more than once across a key rotation) and the ' +
    'consistency proof (RFC 9162 2.1.4, from `hall audit prove-consistency` or GET /api/v1/audit-checkpoints/consistency) ' +
    'must lead from the old root to the new one. The checkpoints are the ones you kept (--old, --new: a note, or a ' +
    'checkpoint file whose note of the proof’s size is taken), else those the proof carries. Exits 0 when the new ' +
    'checkpoint extends the old one, 1 naming what is wrong, 2 on usage errors.';

  static override enableJsonFlag = true;
  static override flags = {
    proof: Flags.string({ description: 'the consistency proof (JSON)', required: true }),
    old: Flags.string({ description: 'the older signed checkpoint you kept (default: the one the proof carries)' }),
    new: Flags.string({ description: 'the newer signed checkpoint (default: the one the proof carries)' }),
    'public-key': Flags.string({
      aliases: ['key'],
      description:
        'the verifier key the hall publishes (<name>+<key id>+<key>), or a file holding it; repeat it for a retired key',
      required: true,
      multiple: true,
    }),
  };

  static override examples = [
    "<%= config.bin %> <%= command.id %> --proof proof.json --old kept-checkpoint.txt --public-key 'service-hall/audit-log+f26bb83a+AcC…'",
    '<%= config.bin %> <%= command.id %> --proof proof.json --old checkpoints.txt --new latest.txt --key audit-log.vkey',
  ];

  async run(): Promise<ConsistencyVerification> {
    const { flags } = await this.parse(AuditVerifyConsistency);
    const read = (file: string) => readInput(this, file);
    const proof = await read(flags.proof);
    const oldNotes = flags.old === undefined ? undefined : await read(flags.old);
    const newNotes = flags.new === undefined ? undefined : await read(flags.new);
    const trustedKeys: string[] = [];
    for (const key of flags['public-key']) trustedKeys.push(await verifierKey(this, key));
    const r = buildOfflineUseCases().verifyConsistencyProof.execute({ proof, oldNotes, newNotes, trustedKeys });
    if (r.consistent) {
      this.log(
        `CONSISTENT: the checkpoint of ${r.toSize} entries of ${r.origin} (key ${r.keyIds.to}) extends the checkpoint of ${r.fromSize} entries${r.keyIds.from ? ` (key ${r.keyIds.from})` : ''}: the log only grew`,
      );
      return r;
    }
    if (this.jsonEnabled()) this.logJson(r);
    else {
      this.logToStderr(
        `NOT CONSISTENT: the checkpoint of ${r.toSize ?? '?'} entries is not proven to extend the checkpoint of ${r.fromSize ?? '?'}`,
      );
      for (const p of r.problems) this.logToStderr(`  ${p}`);
    }
    return this.exit(1);
  }

  /** A usage error or our own exit keeps its code, with --json too (oclif's catch would make it 1). */
  override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    if (this.jsonEnabled() && typeof err.oclif?.exit === 'number') {
      this.logJson(this.toErrorJson(err));
      throw new Errors.ExitError(err.oclif.exit);
    }
    return super.catch(err);
  }
}
