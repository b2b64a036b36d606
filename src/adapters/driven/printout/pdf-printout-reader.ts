import type { EmbeddedPrintout, PrintoutCheck, PrintoutReader } from '../../../application/ports/printout.port.js';
import { canonicalBytes, parsePrintoutContent } from '../../../domain/printout/printout.js';
import { keyIdOfPem, verifySignature } from './ed25519-signer.js';

/**
 * Where the signed content travels inside the PDF: custom entries of the document information
 * dictionary, written by PdfkitPrintoutRenderer as plain ASCII literal strings (base64url, hex),
 * which pdfkit never compresses.
 */
export const PRINTOUT_INFO_KEYS = { content: 'HallPrintout', signature: 'HallSignature', keyId: 'HallKeyId' } as const;

/**
 * An entry of the information dictionary, found without a PDF parser: a literal string without
 * escapes, inline or in an indirect object. As in a PDF with incremental updates, the last
 * definition counts.
 */
function infoEntry(pdf: string, key: string): string | null {
  const entry = new RegExp(`/${key}(?![A-Za-z0-9#])\\s*(?:\\(([^()\\\\]*)\\)|(\\d+)\\s+(\\d+)\\s+R)`, 'g');
  const found = [...pdf.matchAll(entry)].at(-1);
  if (!found) return null;
  if (found[1] !== undefined) return found[1];
  const object = new RegExp(`(?<![0-9])${found[2]}\\s+${found[3]}\\s+obj\\s*\\(([^()\\\\]*)\\)\\s*endobj`, 'g');
  return [...pdf.matchAll(object)].at(-1)?.[1] ?? null;
}

type Extracted = { payload: string; signature: string; keyId: string };

function extract(pdf: Buffer): Extracted | null {
  if (pdf.subarray(0, 1024).indexOf('%PDF-') < 0) return null;
  const text = pdf.toString('latin1');
  const payload = infoEntry(text, PRINTOUT_INFO_KEYS.content);
  const signature = infoEntry(text, PRINTOUT_INFO_KEYS.signature);
  const keyId = infoEntry(text, PRINTOUT_INFO_KEYS.keyId);
  if (payload === null && signature === null && keyId === null) return null;
  return { payload: payload ?? '', signature: signature ?? '', keyId: keyId ?? '' };
}

function decode(extracted: Extracted): EmbeddedPrintout | null {
  const bytes = Buffer.from(extracted.payload, 'base64url');
  if (!extracted.payload || bytes.toString('base64url') !== extracted.payload) return null;
  const canonical = new Uint8Array(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(canonical));
  } catch {
    return null;
  }
  const content = parsePrintoutContent(parsed);
  // what is shown must be exactly what was signed (canonical form): no second reading of the bytes
  if (!content || !Buffer.from(canonicalBytes(content)).equals(canonical)) return null;
  return { content, canonical, signature: extracted.signature, keyId: extracted.keyId };
}

/** The signed content a printout PDF carries, or null when it carries none that can be read. */
export function readPrintout(pdf: Buffer): EmbeddedPrintout | null {
  const extracted = extract(pdf);
  return extracted ? decode(extracted) : null;
}

/**
 * Checks a printout offline against a public key (SPKI PEM, or a private key PEM whose public key
 * is meant): authentic when the embedded content carries that key's signature; unknown-key when
 * it names another key; altered when the signature fails or the content cannot be read.
 * Throws when publicKeyPem is not an Ed25519 key.
 */
export function verifyPrintoutFile(pdf: Buffer, publicKeyPem: string): PrintoutCheck {
  const extracted = extract(pdf);
  if (!extracted) return { status: 'not-a-printout' };
  const printout = decode(extracted);
  if (!printout) return { status: 'altered', ...(extracted.keyId ? { keyId: extracted.keyId } : {}) };
  const keyId = keyIdOfPem(publicKeyPem);
  if (verifySignature(printout.canonical, printout.signature, publicKeyPem))
    return { status: 'authentic', content: printout.content, keyId };
  if (printout.keyId !== keyId) return { status: 'unknown-key', content: printout.content, keyId: printout.keyId };
  return { status: 'altered', content: printout.content, keyId: printout.keyId };
}

export class PdfPrintoutReader implements PrintoutReader {
  read(file: Buffer): EmbeddedPrintout | null {
    return readPrintout(file);
  }

  verify(file: Buffer, publicKeyPem: string): PrintoutCheck {
    return verifyPrintoutFile(file, publicKeyPem);
  }
}
