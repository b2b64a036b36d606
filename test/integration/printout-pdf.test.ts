import { expect } from 'chai';
import PDFDocument from 'pdfkit';
import { PDFParse } from 'pdf-parse';
import { canonicalBytes, type PrintoutContent } from '../../src/domain/printout/printout.js';
import {
  generateSigningKeyPem,
  signerFromPem,
  type Ed25519PrintoutSigner,
} from '../../src/adapters/driven/printout/ed25519-signer.js';
import { PdfkitPrintoutRenderer } from '../../src/adapters/driven/printout/pdfkit-renderer.js';
import {
  PdfPrintoutReader,
  PRINTOUT_INFO_KEYS,
  readPrintout,
  verifyPrintoutFile,
} from '../../src/adapters/driven/printout/pdf-printout-reader.js';
import { samplePrintout, pdfText } from '../fixtures/printout.js';

const verifyUrl = (code: string) => `https://hall.example.edu.cn/api/v1/verify/${code}`;

/** The base64url payload as it sits in the file, and where. */
function payloadIn(pdf: Buffer): { at: number; text: string } {
  const latin1 = pdf.toString('latin1');
  const text = Buffer.from(canonicalBytes(readPrintout(pdf)!.content)).toString('base64url');
  const at = latin1.indexOf(`(${text})`) + 1;
  expect(at, 'the payload is a plain string in the file').to.be.greaterThan(0);
  return { at, text };
}

function plainPdf(info: Record<string, string> = {}): Promise<Buffer> {
  const doc = new PDFDocument();
  Object.assign(doc.info as Record<string, unknown>, info);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  doc.text('hello');
  doc.end();
  return new Promise((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
}

describe('printout PDF (pdfkit renderer, embedded signed content, offline check)', function () {
  this.timeout(60_000);
  let renderer: PdfkitPrintoutRenderer;
  let signer: Ed25519PrintoutSigner;
  let privatePem: string;
  let other: Ed25519PrintoutSigner;
  let content: PrintoutContent;
  let pdf: Buffer;

  const render = (c: PrintoutContent, s: Ed25519PrintoutSigner = signer, signature = s.sign(canonicalBytes(c))) =>
    renderer.render({ content: c, signature, keyId: s.keyId, verifyUrl: verifyUrl(c.code) });

  before(async () => {
    renderer = new PdfkitPrintoutRenderer();
    privatePem = generateSigningKeyPem();
    signer = signerFromPem(privatePem);
    other = signerFromPem(generateSigningKeyPem());
    content = samplePrintout();
    pdf = await render(content);
  });

  it('is an A4 PDF of reasonable size whose Chinese text can be extracted', async () => {
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(renderer.contentType).to.equal('application/pdf');
    expect(pdf.length).to.be.below(150_000);
    expect(pdf.toString('latin1')).to.contain('/MediaBox [0 0 595.28 841.89]');
    const text = await pdfText(pdf);
    for (const s of [
      '办事凭证',
      'Service Record',
      '张三丰',
      '计算机学院',
      '在读证明开具',
      'JW-ZDZM',
      '李教务',
      '教务处审核',
      '材料齐全，同意。',
      '已办结 Completed',
      '2026-JW-000123',
      'K7Q2-9MXD-4HTR',
      signer.keyId,
      verifyUrl('K7Q2-9MXD-4HTR'),
      '2026-03-01 14:05 GMT+8',
    ]) {
      expect(text, s).to.contain(s);
    }
  });

  it('embeds the CJK font as a subset and carries the QR code as an image', () => {
    const raw = pdf.toString('latin1');
    expect(raw).to.match(/\/FontName \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(raw).to.contain('/Subtype /Image');
  });

  it('carries the signed content in the document information, where a PDF library finds it too', async () => {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { info } = await parser.getInfo();
    await parser.destroy();
    const custom = (info as { Custom?: Record<string, string> }).Custom ?? {};
    expect(custom[PRINTOUT_INFO_KEYS.signature]).to.equal(signer.sign(canonicalBytes(content)));
    expect(custom[PRINTOUT_INFO_KEYS.keyId]).to.equal(signer.keyId);
    expect(Buffer.from(custom[PRINTOUT_INFO_KEYS.content]!, 'base64url').toString('utf8')).to.contain(
      '"name":"张三丰"',
    );
    expect((info as { Title?: string }).Title).to.equal('办事凭证 Service Record 2026-JW-000123');
  });

  it('reads back exactly the content, the signed bytes, the signature and the key id', () => {
    const read = readPrintout(pdf);
    expect(read).to.not.equal(null);
    expect(read!.content).to.deep.equal(content);
    expect(Buffer.from(read!.canonical).equals(Buffer.from(canonicalBytes(content)))).to.equal(true);
    expect(read!.signature).to.equal(signer.sign(canonicalBytes(content)));
    expect(read!.keyId).to.equal(signer.keyId);
  });

  it('verifies as authentic with the signing key (public or private PEM), also through the reader port', () => {
    expect(verifyPrintoutFile(pdf, signer.publicKeyPem)).to.deep.equal({
      status: 'authentic',
      content,
      keyId: signer.keyId,
    });
    expect(verifyPrintoutFile(pdf, privatePem)).to.deep.equal({ status: 'authentic', content, keyId: signer.keyId });
    expect(new PdfPrintoutReader().verify(pdf, signer.publicKeyPem).status).to.equal('authentic');
    expect(new PdfPrintoutReader().read(pdf)?.content).to.deep.equal(content);
  });

  it('renders the same printout to the same bytes', async () => {
    expect((await render(content)).equals(pdf)).to.equal(true);
  });

  it('one changed byte in the signed content: altered', () => {
    const { at, text } = payloadIn(pdf);
    const json = Buffer.from(text, 'base64url');
    const i = json.indexOf('2026-JW-000123') + 13;
    json[i] = '4'.charCodeAt(0); // case number 2026-JW-000123 -> 2026-JW-000124, still valid JSON
    const forged = json.toString('base64url');
    expect(forged.length).to.equal(text.length);
    const altered = Buffer.from(pdf);
    altered.write(forged, at, 'latin1');
    const check = verifyPrintoutFile(altered, signer.publicKeyPem);
    expect(check.status).to.equal('altered');
    expect(check.status === 'altered' && check.content?.caseNumber).to.equal('2026-JW-000124');
  });

  it('any one character of the embedded payload or signature changed: never authentic', () => {
    const raw = pdf.toString('latin1');
    const { at, text } = payloadIn(pdf);
    const signature = signer.sign(canonicalBytes(content));
    const sigAt = raw.indexOf(`(${signature})`) + 1;
    expect(sigAt).to.be.greaterThan(0);
    const positions = [...Array(60).keys()]
      .map((k) => at + Math.floor((k * text.length) / 60))
      .concat(at + text.length - 1)
      .concat(
        [...Array(20).keys()].map((k) => sigAt + Math.floor((k * signature.length) / 20)),
        sigAt + signature.length - 1,
      );
    for (const p of positions) {
      const changed = Buffer.from(pdf);
      changed[p] = changed[p] === 0x41 ? 0x42 : 0x41; // 'A' <-> 'B' or anything -> 'A'
      expect(verifyPrintoutFile(changed, signer.publicKeyPem).status, `byte ${p}`).to.equal('altered');
    }
  });

  it('changed content re-embedded without a new signature: altered, and it says what the file claims', async () => {
    const forged = samplePrintout({ applicant: { name: '张三封', unit: '计算机学院' } });
    const file = await render(forged, signer, signer.sign(canonicalBytes(content)));
    expect(await pdfText(file)).to.contain('张三封');
    const check = verifyPrintoutFile(file, signer.publicKeyPem);
    expect(check).to.deep.equal({ status: 'altered', content: forged, keyId: signer.keyId });
  });

  it('a forged payload appended as an incremental update is what counts, and fails', () => {
    const forged = Buffer.from(canonicalBytes(samplePrintout({ result: '已退回' }))).toString('base64url');
    const update = Buffer.from(
      `\n999 0 obj\n(${forged})\nendobj\n1000 0 obj\n<< /${PRINTOUT_INFO_KEYS.content} 999 0 R >>\nendobj\n`,
      'latin1',
    );
    const check = verifyPrintoutFile(Buffer.concat([pdf, update]), signer.publicKeyPem);
    expect(check.status).to.equal('altered');
    expect(check.status === 'altered' && check.content?.result).to.equal('已退回');
  });

  it('a payload that does not read as a printout: altered', async () => {
    const base = {
      [PRINTOUT_INFO_KEYS.signature]: signer.sign(new Uint8Array([1])),
      [PRINTOUT_INFO_KEYS.keyId]: signer.keyId,
    };
    for (const payload of [
      'not*base64',
      Buffer.from('{"format":"other"}').toString('base64url'),
      Buffer.from('\xff\xfe', 'latin1').toString('base64url'),
    ]) {
      const file = await plainPdf({ ...base, [PRINTOUT_INFO_KEYS.content]: payload });
      expect(verifyPrintoutFile(file, signer.publicKeyPem).status, payload).to.equal('altered');
      expect(readPrintout(file)).to.equal(null);
    }
    // the same content in a non-canonical form is not what was signed
    const loose = Buffer.from(JSON.stringify(content, null, 1)).toString('base64url');
    const file = await plainPdf({
      ...base,
      [PRINTOUT_INFO_KEYS.content]: loose,
      [PRINTOUT_INFO_KEYS.signature]: signer.sign(Buffer.from(JSON.stringify(content, null, 1))),
    });
    expect(verifyPrintoutFile(file, signer.publicKeyPem).status).to.equal('altered');
  });

  it('signed with another key: unknown-key, naming that key', () => {
    const check = verifyPrintoutFile(pdf, other.publicKeyPem);
    expect(check).to.deep.equal({ status: 'unknown-key', content, keyId: signer.keyId });
  });

  it('a PDF without printout content, or no PDF at all: not-a-printout', async () => {
    expect(verifyPrintoutFile(await plainPdf(), signer.publicKeyPem)).to.deep.equal({ status: 'not-a-printout' });
    expect(verifyPrintoutFile(Buffer.from('hello, world'), signer.publicKeyPem)).to.deep.equal({
      status: 'not-a-printout',
    });
    expect(verifyPrintoutFile(Buffer.alloc(0), signer.publicKeyPem)).to.deep.equal({ status: 'not-a-printout' });
    expect(readPrintout(await plainPdf())).to.equal(null);
  });

  it('a long handling trail runs over pages, each with its foot line, and still verifies', async () => {
    const trail = Array.from({ length: 60 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 1, 1, 8, i)).toISOString(),
      node: `第${i + 1}环节审核`,
      actor: i % 2 ? '李教务' : '王处长',
      action: i % 2 ? '通过 approve' : '转办 transfer',
      comment: i % 5 ? null : '请补充在读证明的用途说明，并附学生证复印件。'.repeat(2),
    }));
    const long = samplePrintout({ trail });
    const file = await render(long);
    const text = await pdfText(file);
    expect(text).to.contain('第60环节审核');
    expect(text).to.contain('2026-JW-000123 · K7Q2-9MXD-4HTR · 1/');
    const pages = Number(/K7Q2-9MXD-4HTR · 1\/(\d+)/.exec(text)![1]);
    expect(pages).to.be.greaterThan(1);
    expect(text).to.contain(`${pages}/${pages}`);
    expect(verifyPrintoutFile(file, signer.publicKeyPem).status).to.equal('authentic');
  });

  it('an empty trail and an applicant without a unit render too', async () => {
    const bare = samplePrintout({ trail: [], applicant: { name: '欧阳娜娜', unit: null } });
    const file = await render(bare);
    const text = await pdfText(file);
    expect(text).to.contain('欧阳娜娜');
    expect(text).to.contain('（无 none）');
    expect(verifyPrintoutFile(file, signer.publicKeyPem)).to.deep.equal({
      status: 'authentic',
      content: bare,
      keyId: signer.keyId,
    });
  });
});
