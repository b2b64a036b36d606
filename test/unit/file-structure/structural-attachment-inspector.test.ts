import { expect } from 'chai';
import { deflateSync, crc32 } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { StructuralAttachmentInspector } from '../../../src/adapters/driven/file-structure/structural-attachment-inspector.js';
import { EXECUTABLE, JPEG_16X16, onePagePdf, PNG_1X1 } from '../../fixtures/attachment-files.js';

const inspector = new StructuralAttachmentInspector();
const pdf = (content: Buffer) => inspector.inspect({ type: 'application/pdf', content });
const png = (content: Buffer) => inspector.inspect({ type: 'image/png', content });
const jpeg = (content: Buffer) => inspector.inspect({ type: 'image/jpeg', content });

/** A PNG chunk with its length and CRC. */
function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}
const SIGNATURE = PNG_1X1.subarray(0, 8);
const IHDR_1X1 = PNG_1X1.subarray(8, 8 + 25);

describe('StructuralAttachmentInspector (a file is what its first bytes claim, as a whole)', () => {
  it('accepts a whole PDF, PNG and JPEG', async () => {
    expect(await pdf(await onePagePdf())).to.equal(null);
    expect(await png(PNG_1X1)).to.equal(null);
    expect(await jpeg(JPEG_16X16)).to.equal(null);
  });

  it('refuses a PDF header followed by an executable, and an executable appended to a real PDF', async () => {
    expect(await pdf(Buffer.concat([Buffer.from('%PDF-1.7\n'), EXECUTABLE]))).to.match(/trailer/);
    expect(await pdf(Buffer.concat([await onePagePdf(), EXECUTABLE]))).to.match(/trailer/);
  });

  it('refuses a PDF that only looks like one at both ends, one pointing nowhere, and one that carries scripts', async () => {
    expect(await pdf(Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\nstartxref\n9\n%%EOF\n'))).to.match(/parse/);
    expect(await pdf(Buffer.from('%PDF-1.7\nstartxref\n999\n%%EOF\n'))).to.match(/startxref/);
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    doc.addJavaScript('open', 'app.alert(1)');
    expect(await pdf(Buffer.from(await doc.save({ useObjectStreams: false })))).to.match(/scripts/);
    // compressed object streams hide the names from a byte search, not from the parsed document
    expect(await pdf(Buffer.from(await doc.save({ useObjectStreams: true })))).to.match(/scripts/);
  });

  it('refuses a PDF whose compressed object stream would expand beyond 16 MB before parsing it', async () => {
    const good = (await onePagePdf()).toString('latin1');
    const bomb = deflateSync(Buffer.alloc(32 * 1024 * 1024, 0x20), { level: 9 });
    const at = good.indexOf('xref');
    const before = Buffer.from(good.slice(0, at), 'latin1');
    const dict = `99 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`;
    const object = Buffer.concat([Buffer.from(dict, 'latin1'), bomb, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    const after = good.slice(at).replace(/startxref\s+\d+/, `startxref\n${before.length + object.length}`);
    expect(await pdf(Buffer.concat([before, object, Buffer.from(after, 'latin1')]))).to.match(/expands beyond/);
  });

  it('refuses PNGs with a wrong CRC, bytes after IEND, no image data, or data that does not fit the header', async () => {
    const corrupted = Buffer.from(PNG_1X1);
    corrupted[corrupted.length - 20] = corrupted[corrupted.length - 20]! ^ 0xff;
    expect(await png(corrupted)).to.match(/CRC/);
    expect(await png(Buffer.concat([PNG_1X1, EXECUTABLE]))).to.match(/follow the IEND/);
    expect(await png(Buffer.concat([SIGNATURE, IHDR_1X1, chunk('IEND', Buffer.alloc(0))]))).to.match(/no image data/);
    const tooShort = chunk('IDAT', deflateSync(Buffer.from([0, 1, 2])));
    expect(await png(Buffer.concat([SIGNATURE, IHDR_1X1, tooShort, chunk('IEND', Buffer.alloc(0))]))).to.match(
      /dimensions/,
    );
    expect(await png(Buffer.concat([SIGNATURE, EXECUTABLE]))).to.not.equal(null);
  });

  it('refuses JPEGs cut short, with bytes after the end-of-image marker, or with no frame', async () => {
    expect(await jpeg(JPEG_16X16.subarray(0, 300))).to.match(/cut short/);
    expect(await jpeg(Buffer.concat([JPEG_16X16, EXECUTABLE]))).to.match(/follow the end-of-image/);
    expect(await jpeg(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), EXECUTABLE]))).to.not.equal(null);
    expect(await jpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).to.match(/before any image/);
  });
});
