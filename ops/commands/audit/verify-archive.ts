import { Args, Command, Errors, Flags } from '@oclif/core';
import type { ArchiveVerification } from '../../../src/application/audit/archive-file.js';
import { buildOfflineUseCases } from '../../../src/adapters/composition/offline.js';
import { readInput, verifierKey } from '../../offline-input.js';

/** Checks an archive file of a month of the audit log offline: no server, no database, no configuration. */
export default class AuditVerifyArchive extends Command {
  static override summary = 'Check an archive file of the audit log (hall audit archive) offline.';
  static override description =
    'Every line must be as the hall writes it and the checkpoint signed by the file’s key (with --public-key: by that ' +
    'key); the frontier before the month, the leaves of its entries (each recomputed) and the completion must make ' +
    'the checkpoint’s root, through the frontier the file states at the month’s last seq. Exits 0 when the file is ' +
    'intact, 1 naming what was altered, 2 on usage errors.';

  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ description: 'the archive file (hall audit archive)', required: true }),
  };
  static override flags = {
    'public-key': Flags.string({
      description: 'the verifier key the hall publishes (<name>+<key id>+<key>), or a file holding it',
    }),
  };

  async run(): Promise<ArchiveVerification> {
    const { args, flags } = await this.parse(AuditVerifyArchive);
    const text = await readInput(this, args.file);
    const given = flags['public-key'];
    const trustedKey = given === undefined ? undefined : await verifierKey(this, given);
    const r = buildOfflineUseCases().verifyArchiveFile.execute({ text, trustedKey });
    if (r.valid) {
      this.log(
        `INTACT: ${r.month}, seq ${r.firstSeq}..${r.lastSeq} (${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}), proven against the checkpoint of ${r.treeSize} entries signed by key ${r.keyId}`,
      );
      if (trustedKey === undefined)
        this.log(`Compare key ${r.keyId} with the key the hall publishes (or give it with --public-key).`);
      return r;
    }
    if (this.jsonEnabled()) this.logJson(r);
    else {
      this.logToStderr(`ALTERED: ${args.file} is not intact`);
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
