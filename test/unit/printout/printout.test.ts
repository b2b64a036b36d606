import { expect } from 'chai';
import fc from 'fast-check';
import {
  canonicalBytes,
  canonicalJson,
  isVerificationCode,
  newVerificationCode,
  normaliseVerificationCode,
  parsePrintoutContent,
  type PrintoutContent,
} from '../../../src/domain/printout/printout.js';
import { samplePrintout } from '../../fixtures/printout.js';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe('printout content (办事凭证)', () => {
  describe('canonical form', () => {
    it('sorts keys at every depth and has no whitespace', () => {
      expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x y' }], é: true })).to.equal(
        '{"a":[{"c":"x y","d":null}],"b":1,"é":true}',
      );
    });

    it('is the same for the same content, whatever order its properties were built in', () => {
      const a = samplePrintout();
      const reversed = Object.fromEntries(Object.entries(a).reverse()) as unknown as PrintoutContent;
      reversed.trail = a.trail.map(
        (t) => Object.fromEntries(Object.entries(t).reverse()) as unknown as PrintoutContent['trail'][number],
      );
      expect(decode(canonicalBytes(reversed))).to.equal(decode(canonicalBytes(a)));
      expect(decode(canonicalBytes(a))).to.match(
        /^\{"applicant":\{"name":"张三丰","unit":"计算机学院"\},"caseNumber":"2026-JW-000123","code":/,
      );
    });

    it('is UTF-8 and round-trips through JSON.parse to the same content', () => {
      const bytes = canonicalBytes(samplePrintout());
      expect(Buffer.from(bytes).toString('utf8')).to.contain('在读证明开具');
      expect(parsePrintoutContent(JSON.parse(decode(bytes)))).to.deep.equal(samplePrintout());
    });

    it('escapes strings as JSON does, leaves out undefined and refuses NaN', () => {
      expect(canonicalJson({ s: 'a"b\\c\n\u0001', u: undefined })).to.equal('{"s":"a\\"b\\\\c\\n\\u0001"}');
      expect(() => canonicalJson({ n: Number.NaN })).to.throw(TypeError);
    });

    it('any change of content changes the bytes (property)', () => {
      fc.assert(
        fc.property(fc.string(), fc.string(), (a, b) => {
          fc.pre(a !== b);
          const x = canonicalBytes(samplePrintout({ result: a }));
          const y = canonicalBytes(samplePrintout({ result: b }));
          return !Buffer.from(x).equals(Buffer.from(y));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('parsing', () => {
    it('accepts a well-formed printout and refuses what is not one', () => {
      expect(parsePrintoutContent(samplePrintout())).to.deep.equal(samplePrintout());
      expect(parsePrintoutContent(null)).to.equal(null);
      expect(parsePrintoutContent({ ...samplePrintout(), format: 'hall-printout/2' })).to.equal(null);
      expect(parsePrintoutContent({ ...samplePrintout(), extra: 1 })).to.equal(null);
      expect(parsePrintoutContent({ ...samplePrintout(), code: 'k7q2-9mxd-4htr' })).to.equal(null);
      expect(parsePrintoutContent({ ...samplePrintout(), applicant: { name: '张三丰' } })).to.equal(null);
      expect(
        parsePrintoutContent({ ...samplePrintout(), trail: [{ at: 'x', node: 'y', actor: 'z', action: 'a' }] }),
      ).to.equal(null);
      expect(parsePrintoutContent({ ...samplePrintout(), trail: {} })).to.equal(null);
    });
  });

  describe('verification codes', () => {
    it('are 12 Crockford base32 symbols in groups of four, from 60 random bits', () => {
      expect(newVerificationCode(new Uint8Array(8))).to.equal('0000-0000-0000');
      expect(newVerificationCode(new Uint8Array(8).fill(0xff))).to.equal('ZZZZ-ZZZZ-ZZZZ');
      expect(newVerificationCode(Uint8Array.from([0x08, 0x86, 0x42, 0x98, 0xe8, 0x4a, 0x96, 0xc6]))).to.equal(
        '1234-5678-9ABC',
      );
      expect(() => newVerificationCode(new Uint8Array(7))).to.throw(RangeError);
    });

    it('never use I, L, O or U and always normalise to themselves (property)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 8, maxLength: 16 }), (bytes) => {
          const code = newVerificationCode(bytes);
          return (
            /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(code) &&
            normaliseVerificationCode(code) === code
          );
        }),
        { numRuns: 500 },
      );
    });

    it('are read as typed: any case, dashes and spaces optional, I/L as 1 and O as 0', () => {
      expect(normaliseVerificationCode('k7q29mxd4htr')).to.equal('K7Q2-9MXD-4HTR');
      expect(normaliseVerificationCode(' k7q2 9mxd-4htr ')).to.equal('K7Q2-9MXD-4HTR');
      expect(normaliseVerificationCode('IL0O-0000-0000')).to.equal('1100-0000-0000');
      expect(isVerificationCode('K7Q2-9MXD-4HTR')).to.equal(true);
      expect(isVerificationCode('K7Q2-9MXD-4HT')).to.equal(false);
      expect(isVerificationCode('K7Q2-9MXD-4HTRX')).to.equal(false);
      expect(isVerificationCode('K7Q2-9MXD-4HTU')).to.equal(false);
      expect(isVerificationCode('K7Q2/9MXD/4HTR')).to.equal(false);
      expect(isVerificationCode('')).to.equal(false);
    });

    it('differ for different random bytes (collisions only by chance)', () => {
      const seen = new Set<string>();
      for (let i = 0; i < 2000; i++)
        seen.add(newVerificationCode(globalThis.crypto.getRandomValues(new Uint8Array(8))));
      expect(seen.size).to.equal(2000);
    });
  });
});
