import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import { PRINTOUT_READER, PRINTOUT_RENDERER, type PrintoutRenderer } from '../../application/ports/printout.port.js';
import { PRINTOUT_SIGNER_SOURCE, PRINTOUT_STORE, type PrintoutSignerSource } from '../../application/ports/printout-store.port.js';
import { KnexPrintoutStore } from '../driven/objection/knex-printout-store.js';
import { defaultSigningKeyFile, loadOrCreateSigningKey } from '../driven/printout/ed25519-signer.js';
import { PdfPrintoutReader } from '../driven/printout/pdf-printout-reader.js';
import { PdfkitPrintoutRenderer } from '../driven/printout/pdfkit-renderer.js';

/**
 * Printouts (办事凭证): the signing key (HALL_SIGNING_KEY_FILE, or generated under the data dir by
 * the embedded default), loaded once per container on first use; the pdfkit renderer, which reads
 * its 8 MB CJK font on first use too; and the printouts table.
 */
export const printoutModule = (knex: Knex, config: Pick<Config, 'dataDir' | 'signingKeyFile'>) => new ContainerModule(({ bind }) => {
  let loading: ReturnType<PrintoutSignerSource> | undefined;
  const keyFile = config.signingKeyFile ?? defaultSigningKeyFile(config.dataDir);
  // a failed load (e.g. an unreadable key file) is tried again on the next use
  bind<PrintoutSignerSource>(PRINTOUT_SIGNER_SOURCE).toConstantValue(() => loading ??= loadOrCreateSigningKey(keyFile)
    .then((r) => r.signer, (e: unknown) => { loading = undefined; throw e; }));
  let pdfkit: PdfkitPrintoutRenderer | undefined;
  bind<PrintoutRenderer>(PRINTOUT_RENDERER).toConstantValue({
    contentType: 'application/pdf',
    render: (input) => (pdfkit ??= new PdfkitPrintoutRenderer()).render(input),
  });
  bind(PRINTOUT_READER).toConstantValue(new PdfPrintoutReader());
  bind(PRINTOUT_STORE).toConstantValue(new KnexPrintoutStore(knex));
});
