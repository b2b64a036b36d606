import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { PrintoutRenderer, PrintoutRenderInput } from '../../../application/ports/printout.port.js';
import { canonicalBytes } from '../../../domain/printout/printout.js';
import { PRINTOUT_INFO_KEYS } from './pdf-printout-reader.js';

/**
 * Noto Sans Hans Regular (SIL OFL 1.1) from the npm package @embedpdf/fonts-sc: Latin and the
 * 20,900 Han of the URO plus extension A. One weight only (headings are stroked a little), since
 * each embedded CJK subset adds some 50 KB to every printout.
 */
export function bundledCjkFontFile(): string {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return path.resolve(path.dirname(entry), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

export interface PdfkitRendererOptions {
  /** A TTF/OTF file with CJK and Latin glyphs (default: the bundled Noto Sans Hans). */
  fontFile?: string;
  /** Times are printed in this zone (default Asia/Shanghai). */
  timeZone?: string;
  /** Who issues the printouts, printed under the title. */
  issuer?: string;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const FOOTER_Y = A4.height - 36;
const GREY = '#555555';
const RULE = '#bbbbbb';

/** An A4 PDF of a printout: the record, its handling trail, a QR code of verifyUrl and the code. */
export class PdfkitPrintoutRenderer implements PrintoutRenderer {
  readonly contentType = 'application/pdf';
  private readonly font: Buffer;
  private readonly timeZone: string;
  private readonly issuer: string;
  private readonly time: Intl.DateTimeFormat;

  constructor(options: PdfkitRendererOptions = {}) {
    this.font = readFileSync(options.fontFile ?? bundledCjkFontFile());
    this.timeZone = options.timeZone ?? 'Asia/Shanghai';
    this.issuer = options.issuer ?? '网上办事大厅 · Online Service Hall';
    this.time = new Intl.DateTimeFormat('en-CA', {
      timeZone: this.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
  }

  async render({ content, signature, keyId, verifyUrl }: PrintoutRenderInput): Promise<Buffer> {
    const issued = new Date(content.issuedAt);
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
      bufferPages: true,
      lang: 'zh-CN',
      info: {
        Title: `办事凭证 Service Record ${content.caseNumber}`,
        Subject: content.service.name,
        Author: this.issuer,
        Creator: 'Service Hall',
        // fixed by the content, so the same printout renders to the same bytes
        CreationDate: Number.isNaN(issued.getTime()) ? new Date(0) : issued,
      },
    });
    Object.assign(doc.info as Record<string, unknown>, {
      [PRINTOUT_INFO_KEYS.content]: Buffer.from(canonicalBytes(content)).toString('base64url'),
      [PRINTOUT_INFO_KEYS.signature]: signature,
      [PRINTOUT_INFO_KEYS.keyId]: keyId,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });

    doc.registerFont('cjk', this.font);
    doc.font('cjk');
    const qr = await QRCode.toBuffer(verifyUrl, {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 0,
      scale: 6,
      color: { dark: '#000000', light: '#ffffff' },
    });

    // title block, QR code on the right
    const qrSize = 96;
    const qrX = A4.width - MARGIN - qrSize;
    this.heading(doc, '办事凭证', 22, MARGIN, MARGIN, { width: qrX - MARGIN - 10 });
    doc
      .fontSize(13)
      .fillColor(GREY)
      .text('Service Record', { width: qrX - MARGIN - 10 });
    doc
      .moveDown(0.4)
      .fontSize(9)
      .text(this.issuer, { width: qrX - MARGIN - 10 });
    doc.image(qr, qrX, MARGIN, { width: qrSize, height: qrSize });
    this.heading(doc, content.code, 11, qrX - 20, MARGIN + qrSize + 6, { width: qrSize + 40, align: 'center' });
    doc
      .fontSize(7)
      .fillColor(GREY)
      .text('验证码 Verification code', qrX - 20, doc.y + 1, { width: qrSize + 40, align: 'center' });

    let y = MARGIN + qrSize + 40;
    this.rule(doc, y);
    y += 10;
    const applicant = content.applicant.unit
      ? `${content.applicant.name}（${content.applicant.unit}）`
      : content.applicant.name;
    const fields: Array<[string, string]> = [
      ['办件编号  Case number', content.caseNumber],
      ['服务事项  Service', `${content.service.name}（${content.service.code}）`],
      ['申请人  Applicant', applicant],
      ['办理结果  Result', content.result],
      ['签发时间  Issued at', `${this.formatTime(content.issuedAt)} ${this.zoneOf(content.issuedAt)}`.trim()],
    ];
    const labelWidth = 150;
    for (const [label, value] of fields) {
      doc
        .fontSize(9)
        .fillColor(GREY)
        .text(label, MARGIN, y + 2, { width: labelWidth });
      doc
        .fontSize(12)
        .fillColor('black')
        .text(value, MARGIN + labelWidth, y, { width: CONTENT_WIDTH - labelWidth });
      y = Math.max(doc.y, y + 14) + 6;
    }
    y += 4;
    this.rule(doc, y);
    y += 12;

    // the handling trail as a table
    this.heading(doc, '办理过程  Handling trail', 12, MARGIN, y);
    y = doc.y + 6;
    const columns = [
      { title: `时间 Time ${this.zoneOf(content.trail[0]?.at ?? content.issuedAt)}`.trim(), width: 85 },
      { title: '环节 Step', width: 100 },
      { title: '办理人 Handler', width: 80 },
      { title: '操作 Action', width: 80 },
      { title: '意见 Comment', width: CONTENT_WIDTH - 345 },
    ];
    const bottom = A4.height - MARGIN - 20;
    const header = (top: number): number => {
      let x = MARGIN;
      doc.fontSize(8).fillColor(GREY);
      for (const c of columns) {
        doc.text(c.title, x, top, { width: c.width - 6 });
        x += c.width;
      }
      this.rule(doc, top + 13);
      return top + 17;
    };
    y = header(y);
    if (content.trail.length === 0) {
      doc.fontSize(9).fillColor(GREY).text('（无 none）', MARGIN, y);
      y = doc.y + 6;
    }
    for (const entry of content.trail) {
      const cells = [this.formatTime(entry.at), entry.node, entry.actor, entry.action, entry.comment ?? ''];
      doc.fontSize(9);
      const height = Math.max(
        ...cells.map((text, i) => doc.heightOfString(text || ' ', { width: columns[i]!.width - 6 })),
      );
      if (y + height > bottom) {
        doc.addPage();
        y = header(MARGIN);
      }
      let x = MARGIN;
      doc.fontSize(9).fillColor('black');
      cells.forEach((text, i) => {
        doc.text(text, x, y, { width: columns[i]!.width - 6 });
        x += columns[i]!.width;
      });
      y += height + 4;
      this.rule(doc, y - 2, '#e2e2e2');
    }

    // how to check it
    const notes = [
      `扫描二维码或访问 ${verifyUrl}（验证码 ${content.code}），可核验本凭证的内容及是否仍然有效。`,
      `Scan the QR code or visit ${verifyUrl} (code ${content.code}) to see what this record must say and whether it is still valid.`,
      `本凭证内容经 Ed25519 电子签名（密钥 ${keyId}），可离线核验：hall receipt verify <文件.pdf>`,
      `Its content is signed with Ed25519 (key id ${keyId}); verify offline with: hall receipt verify <file.pdf>`,
    ];
    doc.fontSize(8);
    const notesHeight = notes.reduce((h, n) => h + doc.heightOfString(n, { width: CONTENT_WIDTH }) + 2, 0);
    y += 14;
    if (y + notesHeight > bottom) {
      doc.addPage();
      y = MARGIN;
    }
    this.rule(doc, y - 6);
    doc.fillColor(GREY);
    for (const n of notes) {
      doc.text(n, MARGIN, y, { width: CONTENT_WIDTH });
      y = doc.y + 2;
    }

    // every page: case number, code and page number at the foot
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const keep = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .fontSize(7)
        .fillColor(GREY)
        .text(`${content.caseNumber} · ${content.code} · ${i - range.start + 1}/${range.count}`, MARGIN, FOOTER_Y, {
          width: CONTENT_WIDTH,
          align: 'right',
          lineBreak: false,
        });
      doc.page.margins.bottom = keep;
    }
    doc.end();
    await ended;
    return Buffer.concat(chunks);
  }

  private rule(doc: PDFKit.PDFDocument, y: number, color = RULE): void {
    doc
      .save()
      .moveTo(MARGIN, y)
      .lineTo(A4.width - MARGIN, y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke()
      .restore();
  }

  /** Headings in the one weight there is, stroked a little to stand out. */
  private heading(
    doc: PDFKit.PDFDocument,
    text: string,
    size: number,
    x: number,
    y: number,
    options: PDFKit.Mixins.TextOptions = {},
  ): void {
    doc
      .save()
      .lineWidth(size / 40)
      .strokeColor('black')
      .fillColor('black')
      .fontSize(size)
      .text(text, x, y, { ...options, fill: true, stroke: true });
    doc.restore();
  }

  private parts(iso: string): Record<string, string> | null {
    const date = new Date(iso);
    return Number.isNaN(date.getTime())
      ? null
      : Object.fromEntries(this.time.formatToParts(date).map((part) => [part.type, part.value]));
  }

  /** `2026-03-01 14:05` in the renderer's zone; what is not an instant is printed as it is. */
  private formatTime(iso: string): string {
    const p = this.parts(iso);
    return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : iso;
  }

  /** `GMT+8`. */
  private zoneOf(iso: string): string {
    return this.parts(iso)?.timeZoneName ?? '';
  }
}
