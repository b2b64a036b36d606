import { expect } from 'chai';
import { createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { freePort } from '../../src/adapters/driven/embedded-postgres/embedded-database.js';
import { SmtpEmailSender, SmtpSendError, type SmtpConfig } from '../../src/adapters/driven/smtp/smtp-email-sender.js';
import { startSmtpServer, type TestSmtpServer } from '../fixtures/smtp-server.js';

const FROM = '"网上办事大厅" <hall@university.example>';
const SUBJECT = '【催办】在读证明开具 待您办理';
const BODY = [
  '陈老师，您好：',
  '',
  '申请人 王小明（学号 2023010101）提交的“在读证明开具”已在您处等待 3 个工作日，请尽快办理。',
  '办理地址：https://hall.university.example/tasks/42?from=mail&lang=zh-CN',
  '此邮件由系统自动发送，请勿直接回复。'.repeat(4), // a long line: the transfer encoding has to wrap it
].join('\n');

const configFor = (server: { host: string; port: number }, extra: Partial<SmtpConfig> = {}): SmtpConfig => ({
  host: server.host,
  port: server.port,
  secure: false,
  from: FROM,
  timeoutMs: 3000,
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<SmtpSendError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(SmtpSendError);
    return e as SmtpSendError;
  }
  throw new Error('expected the send to be rejected');
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SMTP peer via a real server (smtp-server package) on loopback. */
describe('SmtpEmailSender (real SMTP server)', function () {
  this.timeout(15_000);

  describe('delivery', () => {
    let server: TestSmtpServer;
    let sender: SmtpEmailSender;
    before(async () => {
      server = await startSmtpServer();
      sender = new SmtpEmailSender(configFor(server));
    });
    after(async () => {
      await sender?.close();
      await server?.stop();
    });
    beforeEach(() => {
      server.messages.length = 0;
    });

    it('delivers a Chinese subject and body intact, with envelope and From as configured', async () => {
      await sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY });
      expect(server.messages).to.have.length(1);
      const m = server.messages[0]!;
      expect(m.envelope).to.deep.equal({ from: 'hall@university.example', to: ['chen.jw@university.example'] });
      expect(m.from).to.equal('网上办事大厅 <hall@university.example>');
      expect(m.headers.to).to.equal('chen.jw@university.example');
      expect(m.subject).to.equal(SUBJECT);
      expect(m.text).to.equal(BODY);
      expect(m.headers['content-type']).to.match(/^text\/plain; charset=utf-8$/i);
      expect(m.headers['content-transfer-encoding']).to.equal('base64');
      // the headers went over the wire as 7-bit encoded-words, not raw UTF-8
      const head = m.raw.subarray(0, m.raw.indexOf('\r\n\r\n')).toString('latin1');
      expect(head).to.match(/^Subject: =\?UTF-8\?[BQ]\?/im);
      expect([...head].every((c) => c.charCodeAt(0) < 0x80)).to.equal(true);
    });

    it('a mostly ASCII body (quoted-printable) arrives intact too', async () => {
      const text = `Dear colleague / 陈老师,\n\nthe application "Certificate of enrolment" (在读证明) waits for you: ${'https://hall.university.example/tasks/42 '.repeat(3)}\n-- \nOnline Service Hall`;
      await sender.send({ to: 'chen.jw@university.example', subject: 'Reminder: 在读证明', text });
      const m = server.messages[0]!;
      expect(m.headers['content-transfer-encoding']).to.equal('quoted-printable');
      expect(m.subject).to.equal('Reminder: 在读证明');
      expect(m.text).to.equal(text);
    });

    it('a recipient that is no address is refused before anything is sent, as invalid', async () => {
      const e = await rejection(sender.send({ to: 'not an address', subject: SUBJECT, text: BODY }));
      expect(e.reason).to.equal('invalid');
      expect(e.message).to.match(/^SMTP: the message was not sent/);
      expect(server.messages).to.have.length(0);
    });

    it('a line break in the subject cannot add a header or a recipient', async () => {
      await sender.send({
        to: 'chen.jw@university.example',
        subject: '在读证明\r\nBcc: mallory@evil.example\r\nX-Injected: 1',
        text: 'x',
      });
      const m = server.messages[0]!;
      expect(m.envelope.to).to.deep.equal(['chen.jw@university.example']);
      expect(m.headers).not.to.have.property('bcc');
      expect(m.headers).not.to.have.property('x-injected');
      expect(m.subject).to.contain('在读证明');
    });

    it('reuses one pooled connection for consecutive sends', async () => {
      const before = server.connectionsAccepted;
      for (let i = 1; i <= 4; i++)
        await sender.send({ to: `s${i}@university.example`, subject: `${SUBJECT} ${i}`, text: `第 ${i} 封` });
      expect(server.messages.map((m) => m.subject)).to.deep.equal([1, 2, 3, 4].map((i) => `${SUBJECT} ${i}`));
      expect(server.messages.map((m) => m.text)).to.deep.equal([1, 2, 3, 4].map((i) => `第 ${i} 封`));
      expect(new Set(server.messages.map((m) => m.connectionId)).size).to.equal(1);
      expect(server.connectionsAccepted - before).to.be.at.most(1); // 0 if the earlier tests' connection is still open
      expect(server.openConnections).to.equal(1);
    });

    it('sends many at once over a bounded number of connections', async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          sender.send({ to: `p${i}@university.example`, subject: `批量 ${i}`, text: `正文 ${i}` }),
        ),
      );
      expect(server.messages.map((m) => m.subject).sort()).to.deep.equal(
        Array.from({ length: 12 }, (_, i) => `批量 ${i}`).sort(),
      );
      expect(new Set(server.messages.map((m) => m.connectionId)).size).to.be.at.most(5);
    });
  });

  describe('the server refusing', () => {
    let server: TestSmtpServer;
    let sender: SmtpEmailSender;
    before(async () => {
      server = await startSmtpServer();
      sender = new SmtpEmailSender(configFor(server));
    });
    after(async () => {
      await sender?.close();
      await server?.stop();
    });
    beforeEach(() => {
      server.messages.length = 0;
    });

    it('550 after DATA rejects with the code, and the next send goes through', async () => {
      server.rejectNext(550);
      const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
      expect(e.message).to.match(/^SMTP server 127\.0\.0\.1:\d+ refused the message: 550 \S/);
      expect(e.responseCode).to.equal(550);
      expect(e.reason).to.equal('refused');
      expect(server.messages).to.have.length(0);
      await sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY });
      expect(server.messages).to.have.length(1);
    });

    it('a temporary 451 at RCPT TO rejects with 451, each of the next N times', async () => {
      server.rejectNext(451, 2, 'rcpt');
      for (let i = 0; i < 2; i++) {
        const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
        expect(e.message).to.match(/refused the message: 451 \S/);
        expect(e.responseCode).to.equal(451);
      }
      await sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY });
      expect(server.messages).to.have.length(1);
    });
  });

  describe('with AUTH required', () => {
    const user = 'hall-mailer';
    const password = 's3cret-Pa55';
    let server: TestSmtpServer;
    before(async () => {
      server = await startSmtpServer({ auth: { user, password } });
    });
    after(async () => {
      await server?.stop();
    });
    beforeEach(() => {
      server.messages.length = 0;
    });

    it('the right credentials deliver', async () => {
      const sender = new SmtpEmailSender(configFor(server, { user, password }));
      try {
        await sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY });
      } finally {
        await sender.close();
      }
      expect(server.messages).to.have.length(1);
      expect(server.messages[0]!.authenticatedAs).to.equal(user);
      expect(server.messages[0]!.subject).to.equal(SUBJECT);
    });

    it('a wrong password is refused with a clear error that does not repeat the password', async () => {
      const wrong = 'not-the-Pa55word';
      const sender = new SmtpEmailSender(configFor(server, { user, password: wrong }));
      try {
        const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
        expect(e.message).to.match(/^SMTP server 127\.0\.0\.1:\d+ refused the login: 535 \S/);
        expect(e.responseCode).to.equal(535);
        expect(inspect(e)).not.to.contain(wrong);
        expect(inspect(e)).not.to.contain(Buffer.from(`\0${user}\0${wrong}`).toString('base64')); // AUTH PLAIN
        expect(inspect(e)).not.to.contain(Buffer.from(wrong).toString('base64')); // AUTH LOGIN
      } finally {
        await sender.close();
      }
      expect(server.messages).to.have.length(0);
    });

    it('no credentials at all is refused too', async () => {
      const sender = new SmtpEmailSender(configFor(server));
      try {
        const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
        expect(e.message).to.match(/refused the message: 530 \S/);
      } finally {
        await sender.close();
      }
      expect(server.messages).to.have.length(0);
    });

    it('does not show the password when the sender is inspected or serialised', async () => {
      const sender = new SmtpEmailSender(configFor(server, { user, password }));
      try {
        expect(inspect(sender, { depth: 10 })).not.to.contain(password);
        expect(JSON.stringify(sender)).not.to.contain(password);
      } finally {
        await sender.close();
      }
    });
  });

  describe('a server that hangs up on idle connections', () => {
    let server: TestSmtpServer;
    let sender: SmtpEmailSender;
    before(async () => {
      server = await startSmtpServer({ idleTimeoutMs: 200 });
      sender = new SmtpEmailSender(configFor(server));
    });
    after(async () => {
      await sender?.close();
      await server?.stop();
    });

    it('the next send opens a fresh connection and goes through', async () => {
      await sender.send({ to: 'chen.jw@university.example', subject: '第一封', text: BODY });
      await until(() => server.openConnections === 0, 'the server hung up');
      await sender.send({ to: 'chen.jw@university.example', subject: '第二封', text: BODY });
      expect(server.messages.map((m) => m.subject)).to.deep.equal(['第一封', '第二封']);
      expect(server.connectionsAccepted).to.equal(2);
    });
  });

  describe('an unreachable server', () => {
    it('a closed port rejects at once with "could not be reached"', async () => {
      const sender = new SmtpEmailSender(configFor({ host: '127.0.0.1', port: await freePort() }, { timeoutMs: 2000 }));
      try {
        const started = Date.now();
        const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
        expect(Date.now() - started).to.be.below(2000);
        expect(e.message).to.match(/^SMTP server 127\.0\.0\.1:\d+ could not be reached: .*ECONNREFUSED/);
        expect(e.reason).to.equal('unreachable');
        expect(e.responseCode).to.equal(undefined);
      } finally {
        await sender.close();
      }
    });

    it('a server that never answers rejects within the timeout', async () => {
      const sockets = new Set<Socket>();
      const silent = createServer((s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const port = (silent.address() as { port: number }).port;
      const sender = new SmtpEmailSender(configFor({ host: '127.0.0.1', port }, { timeoutMs: 400 }));
      try {
        const started = Date.now();
        const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
        const took = Date.now() - started;
        expect(took).to.be.within(350, 1500);
        expect(e.message).to.match(/could not be reached: ETIMEDOUT/);
      } finally {
        await sender.close();
        for (const s of sockets) s.destroy();
        await new Promise((r) => silent.close(r));
      }
    });
  });

  describe('close()', () => {
    let server: TestSmtpServer;
    before(async () => {
      server = await startSmtpServer();
    });
    after(async () => {
      await server?.stop();
    });

    it('releases the pooled connection; later sends reject instead of hanging; closing twice is fine', async () => {
      const sender = new SmtpEmailSender(configFor(server));
      await sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY });
      await sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY });
      expect(server.openConnections).to.equal(1);
      await sender.close();
      await until(() => server.openConnections === 0, 'the pooled connection is closed');
      const e = await rejection(sender.send({ to: 'chen.jw@university.example', subject: SUBJECT, text: BODY }));
      expect(e.message).to.match(/could not be reached: the sender (is|was) closed/);
      await sender.close();
      expect(server.messages).to.have.length(2);
    });
  });
});
