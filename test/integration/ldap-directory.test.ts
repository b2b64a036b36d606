import { expect } from 'chai';
import { Client, EqualityFilter, SizeLimitExceededError } from 'ldapts';
import {
  DEFAULT_LDAP_TYPE_VALUES,
  LdaptsDirectory,
  type LdapDirectoryConfig,
} from '../../src/adapters/driven/ldapts/ldapts-directory.js';
import {
  ldifLine,
  skipWithoutSlapd,
  startSlapd,
  type LdapPerson,
  type TestDirectoryServer,
} from '../fixtures/slapd.js';

/** A raw LDIF entry; non-ASCII DNs and values are base64-encoded. */
function entry(dn: string, attributes: Record<string, string | string[]>): string {
  return [
    ldifLine('dn', dn),
    ...Object.entries(attributes).flatMap(([a, v]) => (Array.isArray(v) ? v : [v]).map((x) => ldifLine(a, x))),
    '',
  ].join('\n');
}
const ou = (name: string, baseDn: string) =>
  entry(`ou=${name},${baseDn}`, { objectClass: 'organizationalUnit', ou: name });
const person = (dn: string, attributes: Record<string, string | string[]>) =>
  entry(dn, { objectClass: 'inetOrgPerson', sn: 'x', ...attributes });

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(Error);
    return (e as Error).message;
  }
  throw new Error('expected the directory read to fail');
}

const PEOPLE: LdapPerson[] = [
  {
    uid: 'chenjw',
    cn: 'Chen Jingwen',
    employeeNumber: 'T0101',
    password: 'p',
    extra: {
      displayName: '陈静雯',
      employeeType: '教职工',
      departmentNumber: 'jwc',
      businessCategory: '在职',
      mail: 'chenjw@campus.test',
    },
  },
  {
    uid: 'lixm',
    cn: 'Li Xiaoming',
    employeeNumber: '2024010203',
    password: 'p',
    extra: {
      displayName: '李小明',
      employeeType: 'undergraduate',
      departmentNumber: 'cs',
      businessCategory: '在读',
      mail: 'lixm@stu.campus.test',
    },
  },
  {
    uid: 'wangf',
    cn: '王芳',
    employeeNumber: 'T0202',
    password: 'p',
    extra: { employeeType: 'Teacher', departmentNumber: 'math' },
  },
  {
    uid: 'zhaol',
    cn: 'Zhao Lei',
    employeeNumber: '2019000001',
    password: 'p',
    extra: { displayName: '赵磊', employeeType: '学生', departmentNumber: 'cs', businessCategory: '毕业' },
  },
  {
    uid: 'qianm',
    cn: 'Qian Min',
    employeeNumber: 'T0003',
    password: 'p',
    extra: { displayName: '钱敏', employeeType: 'staff', departmentNumber: 'hr', businessCategory: '退休' },
  },
  {
    uid: 'sunq',
    cn: 'Sun Qiang',
    employeeNumber: '2023100007',
    password: 'p',
    extra: {
      displayName: '孙强',
      employeeType: 'POSTGRADUATE',
      departmentNumber: 'phys',
      businessCategory: ' Suspended ',
    },
  },
  {
    uid: 'zhouy',
    cn: 'Zhou Yan',
    employeeNumber: 'T0404',
    password: 'p',
    extra: { displayName: '周燕', employeeType: 'faculty', departmentNumber: 'lib', businessCategory: 'left' },
  },
];

describe('LdaptsDirectory (real slapd)', function () {
  this.timeout(30_000);
  let slapd: TestDirectoryServer;
  const config = (over: Partial<LdapDirectoryConfig> = {}): LdapDirectoryConfig => ({
    url: slapd.url,
    bindDn: slapd.bindDn,
    bindPassword: slapd.bindPassword,
    baseDn: `ou=people,${slapd.baseDn}`,
    timeoutMs: 3000,
    ...over,
  });

  before(async function () {
    skipWithoutSlapd(this);
    const base = 'dc=campus,dc=test';
    const broken = `ou=broken,${base}`;
    const valid = { employeeType: 'staff', departmentNumber: 'jwc', displayName: '有效' };
    slapd = await startSlapd(PEOPLE, {
      ldif: [
        // not a person: the objectClass filter leaves it out
        entry(`cn=printer,ou=people,${base}`, { objectClass: 'organizationalRole', cn: 'printer' }),
        ou('broken', base),
        person(`uid=fine,${broken}`, { uid: 'fine', cn: 'fine', employeeNumber: 'B0001', ...valid }),
        person(`uid=noid,${broken}`, { uid: 'noid', cn: 'noid', ...valid }),
        person(`uid=badtype,${broken}`, {
          uid: 'badtype',
          cn: 'badtype',
          employeeNumber: 'B0003',
          ...valid,
          employeeType: 'visitor',
        }),
        person(`uid=badstatus,${broken}`, {
          uid: 'badstatus',
          cn: 'badstatus',
          employeeNumber: 'B0004',
          ...valid,
          businessCategory: 'on leave',
        }),
        person(`cn=张伟,${broken}`, {
          cn: '张伟',
          employeeNumber: 'B0005',
          employeeType: 'staff',
          displayName: '张伟',
        }),
        person(`uid=dup1,${broken}`, { uid: 'dup1', cn: 'dup1', employeeNumber: 'B0006', ...valid }),
        person(`uid=dup2,${broken}`, { uid: 'dup2', cn: 'dup2', employeeNumber: 'B0006', ...valid }),
        person(`uid=twounits,${broken}`, {
          uid: 'twounits',
          cn: 'twounits',
          employeeNumber: 'B0008',
          ...valid,
          departmentNumber: ['cs', 'jwc'],
        }),
        person(`uid=conflict,${broken}`, {
          uid: 'conflict',
          cn: 'conflict',
          employeeNumber: 'B0009',
          ...valid,
          employeeType: ['staff', '学生'],
        }),
        person(`uid=bademail,${broken}`, {
          uid: 'bademail',
          cn: 'bademail',
          employeeNumber: 'B0010',
          ...valid,
          mail: 'not-an-address',
        }),
        ou('crowd', base),
        ...Array.from({ length: 25 }, (_, i) =>
          person(`uid=c${i},ou=crowd,${base}`, {
            uid: `c${i}`,
            cn: `c${i}`,
            employeeNumber: `C${i}`,
            employeeType: 'student',
          }),
        ),
        ou('custom', base),
        person(`uid=contractor,ou=custom,${base}`, {
          uid: 'contractor',
          cn: '外包 刘',
          employeeNumber: 'X1',
          employeeType: 'Contractor',
          ou: 'it',
          description: 'gone',
        }),
      ],
    });
  });
  after(async () => {
    await slapd?.stop();
  });

  it('maps every person with all fields, Chinese names intact, leaving out entries that are not inetOrgPerson', async () => {
    const people = await new LdaptsDirectory(config()).people();
    expect([...people].sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal([
      { id: '2019000001', name: '赵磊', type: 'student', unit: 'cs', status: 'left', email: null },
      { id: '2023100007', name: '孙强', type: 'student', unit: 'phys', status: 'suspended', email: null },
      {
        id: '2024010203',
        name: '李小明',
        type: 'student',
        unit: 'cs',
        status: 'active',
        email: 'lixm@stu.campus.test',
      },
      { id: 'T0003', name: '钱敏', type: 'staff', unit: 'hr', status: 'retired', email: null },
      { id: 'T0101', name: '陈静雯', type: 'staff', unit: 'jwc', status: 'active', email: 'chenjw@campus.test' },
      { id: 'T0202', name: '王芳', type: 'staff', unit: 'math', status: 'active', email: null },
      { id: 'T0404', name: '周燕', type: 'staff', unit: 'lib', status: 'left', email: null },
    ]);
  });

  it('takes the name from cn when displayName is absent, and a missing status as active', async () => {
    const wang = (await new LdaptsDirectory(config()).people()).find((p) => p.id === 'T0202');
    expect(wang).to.deep.include({ name: '王芳', status: 'active', type: 'staff' });
  });

  it('maps type and status values case-insensitively, trimmed, in English and Chinese', async () => {
    const byId = new Map((await new LdaptsDirectory(config()).people()).map((p) => [p.id, p]));
    expect(
      ['T0101', '2024010203', '2019000001', 'T0003', '2023100007', 'T0404'].map((id) => [
        byId.get(id)?.type,
        byId.get(id)?.status,
      ]),
    ).to.deep.equal([
      ['staff', 'active'],
      ['student', 'active'],
      ['student', 'left'],
      ['staff', 'retired'],
      ['student', 'suspended'],
      ['staff', 'left'],
    ]);
  });

  it('follows configured attributes and value maps', async () => {
    const custom = new LdaptsDirectory(
      config({
        baseDn: `ou=custom,${slapd.baseDn}`,
        idAttribute: 'uid',
        nameAttribute: 'cn',
        unitAttribute: 'OU',
        statusAttribute: 'description',
        typeValues: { ...DEFAULT_LDAP_TYPE_VALUES, contractor: 'staff' },
        statusValues: { here: 'active', gone: 'left' },
      }),
    );
    expect(await custom.people()).to.deep.equal([
      { id: 'contractor', name: '外包 刘', type: 'staff', unit: 'it', status: 'left', email: null },
    ]);
    const defaults = await failure(new LdaptsDirectory(config({ baseDn: `ou=custom,${slapd.baseDn}` })).people());
    expect(defaults).to.contain("unknown employeeType 'Contractor'").and.contain('no departmentNumber');
  });

  it('refuses the whole directory when any entry cannot be mapped, naming each DN and what is wrong', async () => {
    const message = await failure(new LdaptsDirectory(config({ baseDn: `ou=broken,${slapd.baseDn}` })).people());
    const b = `ou=broken,${slapd.baseDn}`;
    expect(message).to.match(
      /^the directory ldap:\/\/127\.0\.0\.1:\d+ \(ou=broken,dc=campus,dc=test\) is refused whole: the hall cannot map 8 entries:/,
    );
    for (const line of [
      `uid=noid,${b}: no employeeNumber`,
      `uid=badtype,${b}: unknown employeeType 'visitor'`,
      `uid=badstatus,${b}: unknown businessCategory 'on leave'`,
      `cn=张伟,${b}: no departmentNumber`,
      `uid=dup2,${b}: employeeNumber B0006 is also the id of uid=dup1,${b}`,
      `uid=twounits,${b}: 2 values of departmentNumber (cs, jwc), expected one`,
      `uid=conflict,${b}: conflicting employeeType values 'staff', '学生'`,
      `uid=bademail,${b}: mail 'not-an-address' is not an email address`,
    ])
      expect(message).to.contain(`\n  ${line}`);
    expect(message).not.to.contain('uid=fine');
    expect(message).not.to.contain('uid=dup1,ou=broken,dc=campus,dc=test:');
  });

  it('names the first 20 offending entries and counts the rest', async () => {
    const message = await failure(new LdaptsDirectory(config({ baseDn: `ou=crowd,${slapd.baseDn}` })).people());
    expect(message).to.contain('cannot map 25 entries');
    expect(
      message.split('\n').filter((l) => /^ {2}uid=c\d+,ou=crowd,dc=campus,dc=test: no departmentNumber$/.test(l)),
    ).to.have.length(20);
    expect(message).to.match(/\n {2}… and 5 more$/);
  });

  it('a wrong service-account password is a clear error', async () => {
    const message = await failure(new LdaptsDirectory(config({ bindPassword: 'not-the-secret' })).people());
    expect(message).to.equal(
      `the directory ${slapd.url} refused the service account ${slapd.bindDn}: check its DN and password`,
    );
  });

  it('a base DN that does not exist is a clear error', async () => {
    const message = await failure(new LdaptsDirectory(config({ baseDn: `ou=nowhere,${slapd.baseDn}` })).people());
    expect(message).to.contain(`the directory ${slapd.url} refused the search under ou=nowhere,dc=campus,dc=test:`);
  });

  it('an unreachable server is a clear error', async () => {
    const message = await failure(new LdaptsDirectory(config({ url: 'ldap://127.0.0.1:9', timeoutMs: 500 })).people());
    expect(message).to.match(/^the directory could not be reached: ldap:\/\/127\.0\.0\.1:9: /);
  });

  it('refuses a configuration that would bind anonymously or page by nothing', () => {
    expect(() => new LdaptsDirectory(config({ bindPassword: '' }))).to.throw(/anonymous bind/);
    expect(() => new LdaptsDirectory(config({ pageSize: 0 }))).to.throw(/pageSize/);
  });
});

describe('LdaptsDirectory paging (real slapd with size limits)', function () {
  this.timeout(30_000);
  const COUNT = 1200;
  let slapd: TestDirectoryServer;
  const reader = 'cn=reader,dc=campus,dc=test';
  const capped = 'cn=capped,dc=campus,dc=test';
  const config = (over: Partial<LdapDirectoryConfig> = {}): LdapDirectoryConfig => ({
    url: slapd.url,
    bindDn: reader,
    bindPassword: 'reader-secret',
    baseDn: slapd.baseDn,
    timeoutMs: 3000,
    pageSize: 100,
    ...over,
  });

  before(async function () {
    skipWithoutSlapd(this);
    const account = (dn: string, cn: string) =>
      entry(dn, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn, userPassword: 'reader-secret' });
    slapd = await startSlapd(
      Array.from({ length: COUNT }, (_, i) => ({
        uid: `p${i}`,
        cn: `学生${i}`,
        employeeNumber: `S${String(i).padStart(5, '0')}`,
        password: 'p',
        extra: { employeeType: i % 3 ? 'student' : 'staff', departmentNumber: `u${i % 7}`, mail: `p${i}@campus.test` },
      })),
      {
        ldif: [account(reader, 'reader'), account(capped, 'capped')],
        // like a production directory: no more than 100 entries per search or page for the service accounts
        config: [
          `limits dn.exact="${reader}" size.soft=100 size.hard=100 size.pr=100 size.prtotal=unlimited`,
          `limits dn.exact="${capped}" size.soft=100 size.hard=100 size.pr=100 size.prtotal=500`,
        ],
      },
    );
  });
  after(async () => {
    await slapd?.stop();
  });

  it('the service account cannot read more than 100 entries without paging (the limit is real)', async () => {
    const client = new Client({ url: slapd.url, timeout: 3000 });
    try {
      await client.bind(reader, 'reader-secret');
      const e = await client
        .search(slapd.baseDn, {
          scope: 'sub',
          filter: new EqualityFilter({ attribute: 'objectClass', value: 'inetOrgPerson' }),
          attributes: ['employeeNumber'],
        })
        .then(
          () => null,
          (x: unknown) => x,
        );
      expect(e).to.be.instanceOf(SizeLimitExceededError);
    } finally {
      await client.unbind();
    }
  });

  it(`reads all ${COUNT} people in pages of 100`, async () => {
    const people = await new LdaptsDirectory(config()).people();
    expect(people).to.have.length(COUNT);
    expect(new Set(people.map((p) => p.id)).size).to.equal(COUNT);
    expect(people.find((p) => p.id === 'S01199')).to.deep.equal({
      id: 'S01199',
      name: '学生1199',
      type: 'student',
      unit: 'u2',
      status: 'active',
      email: 'p1199@campus.test',
    });
  });

  it("a page size above the server's page limit is a clear error", async () => {
    const message = await failure(new LdaptsDirectory(config({ pageSize: 500 })).people());
    expect(message).to.contain("set pageSize (now 500) at or below the server's page limit");
  });

  it('a server limit on the total is an error, never a partial list', async () => {
    const message = await failure(new LdaptsDirectory(config({ bindDn: capped })).people());
    expect(message).to.contain(
      `stopped the search under ${slapd.baseDn} at a size limit for ${capped}; a partial list is never used`,
    );
  });
});
