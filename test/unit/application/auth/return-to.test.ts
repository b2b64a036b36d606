import { expect } from 'chai';
import { checkReturnTo } from '../../../../src/application/auth/return-to.js';

const PORTAL = ['https://portal.campus.example'];

describe('returnTo after a single sign-on', () => {
  it('takes a path of this site, a page of a configured portal origin, or nothing', () => {
    for (const fine of ['/', '/portal', '/portal/tasks?tab=open#top', '/a//b', 'https://portal.campus.example/x?y=1'])
      expect(checkReturnTo(fine, PORTAL), fine).to.deep.equal({ ok: true, value: fine });
    expect(checkReturnTo(undefined, PORTAL)).to.deep.equal({ ok: true, value: undefined });
  });

  it('refuses other sites, scheme-relative and backslash paths, scripts and control characters, naming returnTo', () => {
    for (const bad of [
      'https://other.example',
      'https://other.example/portal',
      'https://portal.campus.example.other.example/',
      'https://user@portal.campus.example/',
      'http://portal.campus.example/',
      '//other.example',
      '///other.example',
      '/\\other.example',
      '/\t/other.example',
      '/\n/other.example',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'portal',
      ' /portal',
    ]) {
      const r = checkReturnTo(bad, PORTAL);
      expect(r.ok, JSON.stringify(bad)).to.equal(false);
      if (r.ok) continue;
      expect([r.error.kind, r.error.code]).to.deep.equal(['input', 'AUTH.RETURN_TO_NOT_ALLOWED']);
      expect(r.error.problems.map((p) => [p.in, p.path])).to.deep.equal([['query', '/returnTo']]);
    }
  });

  it('takes no absolute URL at all when no portal origin is configured', () => {
    expect(checkReturnTo('https://portal.campus.example/x', []).ok).to.equal(false);
  });
});
