import { Args, Command, Errors, Flags } from '@oclif/core';
import type { BundleVerification } from '../../../src/application/audit/verify-evidence-bundle.use-case.js';
import { buildOfflineUseCases } from '../../../src/adapters/composition/offline.js';
import { readInput, verifierKey } from '../../offline-input.js';

/**
 * Checks an evidence bundle offline: no server, no database, no configuration. Like `hall receipt
 * verify` it is no BaseCommand (whose init() opens the database and checks the migrations): its use
 * case comes from the composition root's offline part.
 */
export default class AuditVerifyBundle extends Command {
  static override summary = 'Check an audit evidence bundle offline (no server, no database).';
  static override description =
    'Every line must be as the hall writes it, the checkpoint signed by the bundle’s key (with --public-key: by that ' +
    'key), and every entry’s inclusion proof must lead to the checkpoint’s root. Exits 0 when the bundle is intact, ' +
    '1 naming what was altered, 2 on usage errors.';

  static override enableJsonFlag = true;
  static override args = { file: Args.string({ description: 'the bundle (hall audit export --out)', required: true }) };
  static override flags = {
    'public-key': Flags.string({
      description: 'the verifier key the hall publishes (<name>+<key id>+<key>), or a file holding it',
    }),
  };

  async run(): Promise<BundleVerification> {
    const { args, flags } = await this.parse(AuditVerifyBundle);
    const text = await readInput(this, args.file);
    const given = flags['public-key'];
    const trustedKey = given === undefined ? undefined : await verifierKey(this, given);
    const r = buildOfflineUseCases().verifyEvidenceBundle.execute({ text, trustedKey });
    if (r.valid) {
      this.log(
        `INTACT: ${r.entries} entr${r.entries === 1 ? 'y' : 'ies'} proven against the checkpoint of ${r.treeSize} entries of ${r.origin}, signed by key ${r.keyId}`,
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
