import { expect } from 'chai';
import { CheckPrintoutFileUseCase } from '../../../src/application/printouts/check-printout-file.use-case.js';
import type { PrintoutCheck, PrintoutKeys, PrintoutReader } from '../../../src/application/ports/printout.port.js';
import { samplePrintout } from '../../fixtures/printout.js';
import { failure, value } from '../../fixtures/result.js';

/** Keys are 'KEY:<id>' texts; anything else is no key. */
const keys: PrintoutKeys = {
  publicKeyOf(pem) {
    const id = /^KEY:(\w+)$/.exec(pem)?.[1];
    if (!id) throw new Error('not an Ed25519 key');
    return { publicKeyPem: `PUBLIC:${id}`, keyId: id };
  },
};

/** A file 'signed:<id>' is authentic for that key and signed by another key for any other. */
class FakeReader implements PrintoutReader {
  checked: Array<{ file: string; publicKeyPem: string }> = [];
  read() {
    return null;
  }
  verify(file: Buffer, publicKeyPem: string): PrintoutCheck {
    this.checked.push({ file: file.toString(), publicKeyPem });
    const signer = /^signed:(\w+)$/.exec(file.toString())?.[1];
    if (!signer) return { status: 'not-a-printout' };
    return publicKeyPem === `PUBLIC:${signer}`
      ? { status: 'authentic', content: samplePrintout(), keyId: signer }
      : { status: 'unknown-key', content: samplePrintout(), keyId: signer };
  }
}

describe('CheckPrintoutFileUseCase (fake reader and keys)', () => {
  const setup = () => {
    const reader = new FakeReader();
    return { reader, uc: new CheckPrintoutFileUseCase({ reader, keys }) };
  };

  it('takes the public key and its id from a PEM', async () => {
    const { uc } = setup();
    expect(value(await uc.publicKey({ pem: 'KEY:abc' }))).to.deep.equal({ publicKeyPem: 'PUBLIC:abc', keyId: 'abc' });
  });

  it('a PEM holding no key is an input error saying why', async () => {
    const { uc } = setup();
    const e = failure(await uc.publicKey({ pem: 'hello' }));
    expect(e.code).to.equal('PRINTOUT.BAD_KEY');
    expect(e.message).to.equal('not an Ed25519 key');
  });

  it('checks the file against the key given, and reports what the reader found', async () => {
    const { reader, uc } = setup();
    expect(value(await uc.execute({ file: Buffer.from('signed:abc'), publicKeyPem: 'PUBLIC:abc' }))).to.include({
      status: 'authentic',
      keyId: 'abc',
    });
    expect(value(await uc.execute({ file: Buffer.from('signed:xyz'), publicKeyPem: 'PUBLIC:abc' }))).to.include({
      status: 'unknown-key',
      keyId: 'xyz',
    });
    expect(value(await uc.execute({ file: Buffer.from('%PDF-1.7'), publicKeyPem: 'PUBLIC:abc' }))).to.deep.equal({
      status: 'not-a-printout',
    });
    expect(reader.checked.map((c) => c.publicKeyPem)).to.deep.equal(['PUBLIC:abc', 'PUBLIC:abc', 'PUBLIC:abc']);
  });
});
