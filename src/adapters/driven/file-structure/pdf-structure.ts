import { inflateSync } from 'node:zlib';
import { PDFDict, PDFDocument, PDFName, PDFStream } from 'pdf-lib';

const HEADER = /^%PDF-[12]\.\d/;
/** The end of a PDF: startxref, its offset and %%EOF, then at most line ends. */
const TRAILER = /startxref\s+(\d{1,10})\s+%%EOF[\r\n\t ]*$/;
/** What startxref must point at: a cross-reference table, or an object holding a cross-reference stream. */
const XREF_AT = /^(xref\b|\d{1,10}\s+\d{1,5}\s+obj\b)/;
/** Names of actions and payloads that run or carry programs; a form's supporting document needs none. */
const ACTIVE = ['JavaScript', 'JS', 'Launch', 'EmbeddedFile', 'EmbeddedFiles', 'RichMedia'];
const ACTIVE_CONTENT = new RegExp(`/(${ACTIVE.join('|')})\\b`);
const ACTIVE_NAMES = new Set(ACTIVE.map((n) => PDFName.of(n)));

/** Whether any object, compressed object streams included, names an active action or payload. */
function carriesActiveContent(doc: PDFDocument): boolean {
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : null;
    if (!dict) continue;
    for (const [key, value] of dict.entries()) {
      if (ACTIVE_NAMES.has(key) || (value instanceof PDFName && ACTIVE_NAMES.has(value))) return true;
    }
  }
  return false;
}

/** What one object or cross-reference stream may expand to: pdf-lib inflates those while parsing. */
export const MAX_OBJECT_STREAM_BYTES = 16 * 1024 * 1024;

/**
 * Whether a compressed object or cross-reference stream expands beyond MAX_OBJECT_STREAM_BYTES (a
 * "zip bomb" a parser would inflate whole). Each `stream` keyword's dictionary is read back to its
 * `obj`; only streams pdf-lib decodes when parsing (ObjStm, XRef) with FlateDecode are inflated,
 * each with its output bounded.
 */
function objectStreamTooLarge(content: Buffer): boolean {
  const text = content.toString('latin1');
  let at = text.indexOf('stream');
  while (at >= 0) {
    const isStart = text.slice(at - 3, at) !== 'end' && /^stream\r?\n/.test(text.slice(at, at + 8));
    if (isStart) {
      const head = text.slice(Math.max(0, at - 2048), at);
      const dict = head.slice(head.lastIndexOf(' obj') + 1);
      const start = at + (text[at + 6] === '\r' ? 8 : 7);
      const end = text.indexOf('endstream', start);
      if (end < 0) return false; // cut short: the parse says so
      if (/\/(ObjStm|XRef)\b/.test(dict) && /\/FlateDecode\b/.test(dict)) {
        try {
          inflateSync(content.subarray(start, end), { maxOutputLength: MAX_OBJECT_STREAM_BYTES });
        } catch (e) {
          if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return true;
        }
      }
      at = end + 9;
    } else at += 6;
    at = text.indexOf('stream', at);
  }
  return false;
}

/**
 * Why `content` is not a whole PDF, or null: it must start with the PDF header, end with its
 * trailer (nothing appended after %%EOF), have startxref point at its cross-reference data, parse
 * with pdf-lib into a document with at least one page, and carry no scripts, launch actions or
 * embedded files.
 */
export async function pdfProblem(content: Buffer): Promise<string | null> {
  if (!HEADER.test(content.subarray(0, 16).toString('latin1'))) return 'it does not start with a PDF header';
  const tail = content.subarray(Math.max(0, content.length - 1024)).toString('latin1');
  const trailer = TRAILER.exec(tail);
  if (!trailer)
    return 'it does not end with a PDF trailer (startxref, %%EOF): something is appended or it is cut short';
  const xref = Number(trailer[1]);
  if (xref >= content.length || !XREF_AT.test(content.subarray(xref, xref + 32).toString('latin1')))
    return 'its startxref does not point at cross-reference data';
  if (ACTIVE_CONTENT.test(content.toString('latin1'))) return 'it carries scripts, launch actions or embedded files';
  if (objectStreamTooLarge(content))
    return `a compressed object stream expands beyond ${MAX_OBJECT_STREAM_BYTES} bytes`;
  try {
    const doc = await PDFDocument.load(content, {
      updateMetadata: false,
      ignoreEncryption: true,
      throwOnInvalidObject: true,
    });
    if (doc.getPageCount() < 1) return 'it has no pages';
    if (carriesActiveContent(doc)) return 'it carries scripts, launch actions or embedded files';
  } catch {
    return 'it does not parse as a PDF document';
  }
  return null;
}
