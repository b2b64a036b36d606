import { InputError } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { PrintoutCheck, PrintoutKeys, PrintoutReader } from '../ports/printout.port.js';

/**
 * Checks a printout file (办事凭证) offline, with no server and no database: is the content it
 * carries signed by the given key? Whether it was revoked since can only be asked online.
 */
export class CheckPrintoutFileUseCase {
  constructor(private readonly deps: { reader: PrintoutReader; keys: PrintoutKeys }) {}

  /** The key to check with, from a PEM holding the hall's public key (or its private key). */
  async publicKey(input: { pem: string }): Promise<Result<{ publicKeyPem: string; keyId: string }, InputError>> {
    try {
      return ok(this.deps.keys.publicKeyOf(input.pem));
    } catch (e) {
      return err(new InputError('PRINTOUT.BAD_KEY', (e as Error).message));
    }
  }

  async execute(input: { file: Buffer; publicKeyPem: string }): Promise<Result<PrintoutCheck, never>> {
    return ok(this.deps.reader.verify(input.file, input.publicKeyPem));
  }
}
