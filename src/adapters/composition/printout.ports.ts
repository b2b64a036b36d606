import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import type { PrintoutSignerSource, PrintoutStore } from '../../application/ports/printout-store.port.js';
import type { PrintoutKeys, PrintoutReader, PrintoutRenderer } from '../../application/ports/printout.port.js';
import { KnexPrintoutStore } from '../driven/knex/knex-printout-store.js';
import { defaultSigningKeyFile, loadOrCreateSigningKey } from '../driven/printout/ed25519-signer.js';
import { PdfkitPrintoutRenderer } from '../driven/printout/pdfkit-renderer.js';
import { offlinePrintoutPorts } from './offline.js';

/**
 * Printouts (办事凭证): the signing key (HALL_SIGNING_KEY_FILE, or generated under the data dir by
 * the embedded default), loaded once per container on first use; the pdfkit renderer, which reads
 * its 8 MB CJK font on first use too; and the printouts table.
 */
export function printoutPorts(
  knex: Knex,
  config: Pick<Config, 'dataDir' | 'signingKeyFile'>,
): {
  signer: PrintoutSignerSource;
  renderer: PrintoutRenderer;
  printoutReader: PrintoutReader;
  printoutKeys: PrintoutKeys;
  printouts: PrintoutStore;
} {
  let loading: ReturnType<PrintoutSignerSource> | undefined;
  const keyFile = config.signingKeyFile ?? defaultSigningKeyFile(config.dataDir);
  let pdfkit: PdfkitPrintoutRenderer | undefined;
  return {
    // a failed load (e.g. an unreadable key file) is tried again on the next use
    signer: () =>
      (loading ??= loadOrCreateSigningKey(keyFile).then(
        (r) => r.signer,
        (e: unknown) => {
          loading = undefined;
          throw e;
        },
      )),
    renderer: {
      contentType: 'application/pdf',
      render: (input) => (pdfkit ??= new PdfkitPrintoutRenderer()).render(input),
    },
    ...offlinePrintoutPorts(),
    printouts: new KnexPrintoutStore(knex),
  };
}
