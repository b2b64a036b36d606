import { CheckPrintoutFileUseCase } from '../../application/printouts/check-printout-file.use-case.js';
import type { PrintoutKeys, PrintoutReader } from '../../application/ports/printout.port.js';
import { defaultSigningKeyFile, Ed25519PrintoutKeys } from '../driven/printout/ed25519-signer.js';
import { PdfPrintoutReader } from '../driven/printout/pdf-printout-reader.js';

/**
 * What runs with no server and no database (hall receipt verify): only file and key checks, so
 * nothing here opens a connection or reads the configuration a server needs.
 */
export function buildOfflineUseCases(): { checkPrintoutFile: CheckPrintoutFileUseCase } {
  const { printoutReader, printoutKeys } = offlinePrintoutPorts();
  return { checkPrintoutFile: new CheckPrintoutFileUseCase({ reader: printoutReader, keys: printoutKeys }) };
}

/** The hall's own signing key file: HALL_SIGNING_KEY_FILE, else the embedded default under HALL_DATA_DIR. */
export function printoutKeyFileOf(env: NodeJS.ProcessEnv): string {
  return env.HALL_SIGNING_KEY_FILE || defaultSigningKeyFile(env.HALL_DATA_DIR || './var');
}

/** What checks a printout file without a server or a database; the API has the same. */
export function offlinePrintoutPorts(): { printoutReader: PrintoutReader; printoutKeys: PrintoutKeys } {
  return { printoutReader: new PdfPrintoutReader(), printoutKeys: new Ed25519PrintoutKeys() };
}
