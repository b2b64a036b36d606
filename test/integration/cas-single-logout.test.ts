import { expect } from 'chai';
import { CasSsoProvider, type CasConfig } from '../../src/adapters/driven/cas/cas-sso-provider.js';
import { TestCasServer } from '../fixtures/cas-server.js';

const cas = (o: Partial<CasConfig> = {}) =>
  new CasSsoProvider({
    serverUrl: 'http://localhost:1/cas',
    serviceUrl: 'http://hall.campus.test/api/v1/auth/cas/callback',
    protocol: 'p3',
    idAttribute: 'user',
    timeoutMs: 500,
    logoutAllowedAddresses: [],
    ...o,
  });

/** A logout request whose entities would expand to a gigabyte (billion laughs), naming a real ticket. */
const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>ST-1&lol2;</samlp:SessionIndex></samlp:LogoutRequest>`;

describe('CAS single logout requests (the real adapter)', () => {
  it('reads the ticket a CAS logout request names', () => {
    const r = cas().logoutReference({ logoutRequest: TestCasServer.logoutRequest('ST-42') });
    expect(r).to.deep.equal({ ok: true, value: 'ST-42' });
  });

  it('refuses a request with a document type or entity declarations, or not well-formed, naming logoutRequest', () => {
    for (const xml of [
      laughs,
      '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>',
      '<!ENTITY x "y"><x/>',
      '<samlp:LogoutRequest><samlp:SessionIndex>ST-1</samlp:LogoutRequest>',
    ]) {
      const r = cas().logoutReference({ logoutRequest: xml });
      expect(r.ok, xml).to.equal(false);
      if (r.ok) continue;
      expect(r.error.code).to.equal('AUTH.CAS_BAD_LOGOUT_REQUEST');
      expect(r.error.problems.map((p) => p.path)).to.deep.equal(['/logoutRequest']);
    }
  });

  it("accepts a logout only from the addresses the CAS server's host resolves to, and the configured ones", async () => {
    const local = cas();
    expect(await local.acceptsLogoutFrom('127.0.0.1')).to.equal(true);
    expect(await local.acceptsLogoutFrom('::ffff:127.0.0.1'), 'an IPv4 peer on a dual-stack socket').to.equal(true);
    expect(await local.acceptsLogoutFrom('10.1.2.3')).to.equal(false);
    expect(await local.acceptsLogoutFrom('unknown')).to.equal(false);
    const cluster = cas({ serverUrl: 'https://127.0.0.2/cas', logoutAllowedAddresses: ['10.1.0.0/16', '192.0.2.7'] });
    expect(await cluster.acceptsLogoutFrom('127.0.0.2')).to.equal(true);
    expect(await cluster.acceptsLogoutFrom('10.1.2.3')).to.equal(true);
    expect(await cluster.acceptsLogoutFrom('192.0.2.7')).to.equal(true);
    expect(await cluster.acceptsLogoutFrom('127.0.0.1')).to.equal(false);
    expect(await cluster.acceptsLogoutFrom('10.2.0.1')).to.equal(false);
    const unresolvable = cas({ serverUrl: 'https://cas.invalid/cas', logoutAllowedAddresses: ['192.0.2.7'] });
    expect(await unresolvable.acceptsLogoutFrom('192.0.2.7')).to.equal(true);
    expect(await unresolvable.acceptsLogoutFrom('127.0.0.1')).to.equal(false);
  });
});
