import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { EmailMessage, EmailSender } from '../../../application/ports/email-sender.port.js';

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (usually port 465). When false, STARTTLS is used if the server offers it. */
  secure: boolean;
  /** Both or neither: with a user the sender always authenticates (AUTH PLAIN/LOGIN), and fails if it cannot. */
  user?: string;
  password?: string;
  /** The From header, e.g. '"网上办事大厅" <hall@university.example>'; its address is also the envelope sender. */
  from: string;
  /**
   * Bound on each network step: DNS, connecting, the greeting, and any silence while talking to the
   * server. A pooled connection left idle this long is closed too; the next send opens a new one.
   */
  timeoutMs: number;
}

/**
 * Why a message was not handed over. `refused`: the server answered with an error (its reply code
 * is in `responseCode`; 4xx is temporary, 5xx permanent). `unreachable`: no usable conversation
 * (refused connection, DNS, timeout, TLS, dropped connection, or the sender was closed); worth
 * retrying. `invalid`: nodemailer would not send it at all (e.g. the recipient is no address);
 * retrying cannot help.
 */
export class SmtpSendError extends Error {
  constructor(
    message: string,
    readonly reason: 'refused' | 'unreachable' | 'invalid',
    readonly responseCode: number | undefined,
  ) {
    super(message);
    this.name = 'SmtpSendError';
  }
}

/** Fields nodemailer puts on its errors. */
interface NodemailerError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

/** nodemailer reads these from the transport options, its type declarations do not list them. */
interface UndeclaredPoolOptions {
  /** Authenticate even when the server does not advertise AUTH, instead of silently sending unauthenticated. */
  forceAuth: boolean;
  /** How often a message goes back to the queue when its connection closes under it (default: forever). */
  maxRequeues: number;
}

/**
 * Outgoing mail over SMTP through one pooled nodemailer transport: connections are opened on
 * demand, reused across sends and released by `close()`. Subject, display names and body are
 * UTF-8 (nodemailer writes RFC 2047 encoded-words and a quoted-printable or base64 body). Nothing is
 * logged; the errors never carry the credentials (nor, unless the server's reply quotes it, the
 * recipient).
 */
export class SmtpEmailSender implements EmailSender {
  // #private: the transport holds the password, keep it out of util.inspect and JSON.stringify.
  readonly #transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;
  readonly #from: string;
  readonly #server: string;
  #closed = false;

  constructor(config: SmtpConfig) {
    if (Boolean(config.user) !== Boolean(config.password))
      throw new Error('SMTP: give both user and password, or neither');
    if (!(config.timeoutMs > 0)) throw new Error('SMTP: timeoutMs must be positive');
    this.#from = config.from;
    this.#server = `${config.host}:${config.port}`;
    const options: SMTPPool.Options & UndeclaredPoolOptions = {
      pool: true,
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.password } : undefined,
      forceAuth: Boolean(config.user),
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
      dnsTimeout: config.timeoutMs,
      // one retry on a fresh connection when a pooled one was closed by the server while idle;
      // further retries are the caller's business (and an unbounded requeue could hang `send`)
      maxRequeues: 1,
      logger: false,
      debug: false,
      // plain text only: never let message fields pull in files or URLs
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    this.#transport = nodemailer.createTransport(options);
  }

  async send(message: EmailMessage): Promise<void> {
    // a closed nodemailer pool silently drops what it is given, and the promise would never settle
    if (this.#closed)
      throw new SmtpSendError(
        `SMTP server ${this.#server} could not be reached: the sender was closed`,
        'unreachable',
        undefined,
      );
    try {
      await this.#transport.sendMail({
        from: this.#from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    } catch (e) {
      throw this.#describe(e);
    }
  }

  /** Closes the pooled connections; messages still queued fail. Later sends reject. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
  }

  #describe(e: unknown): SmtpSendError {
    const err: NodemailerError = typeof e === 'object' && e !== null ? e : { message: String(e) };
    const code = typeof err.code === 'string' ? err.code : undefined;
    const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
    const detail = oneLine(typeof err.message === 'string' ? err.message : String(e));
    if (responseCode !== undefined) {
      // the server's reply, which starts with its code: '550 5.1.1 mailbox unavailable'
      const reply = typeof err.response === 'string' ? oneLine(err.response) : '';
      const said = reply.startsWith(String(responseCode)) ? reply : `${responseCode} ${reply}`.trimEnd();
      const what = code === 'EAUTH' ? 'the login' : 'the message';
      return new SmtpSendError(`SMTP server ${this.#server} refused ${what}: ${said}`, 'refused', responseCode);
    }
    if (code === 'EAUTH')
      return new SmtpSendError(`SMTP server ${this.#server} refused the login: ${detail}`, 'refused', undefined);
    // nodemailer's own checks before anything is sent, e.g. a recipient that is no address
    if (code === 'EENVELOPE' || code === 'EMESSAGE')
      return new SmtpSendError(`SMTP: the message was not sent, it is not valid: ${detail}`, 'invalid', undefined);
    return new SmtpSendError(
      `SMTP server ${this.#server} could not be reached: ${code ? `${code} ` : ''}${detail}`,
      'unreachable',
      undefined,
    );
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 300);
