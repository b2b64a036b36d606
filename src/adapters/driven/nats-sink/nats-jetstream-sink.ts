import { connect, headers, type JetStreamClient, type NatsConnection } from 'nats';
import type { CloudEvent, DataPlatformSink, SinkAnswer } from '../../../application/ports/data-platform-sink.port.js';
import type { PersonalDataHandling } from '../../../domain/application/personal-data.js';

export interface NatsSinkConfig {
  /** `nats://host:4222` (several comma-separated). */
  servers: string;
  /** The JetStream stream the events go to; created (subjects `<subject>.>`) when missing. */
  stream: string;
  /** Subject prefix: an event goes to `<prefix>.<aggregate type>`. */
  subject: string;
  timeoutMs: number;
  /** How the form fields marked personal reach this stream (default: left out). */
  personalData?: PersonalDataHandling;
}

/**
 * The public data platform over NATS JetStream: each event is one message (structured CloudEvent,
 * `application/cloudevents+json`) on `<prefix>.<aggregate type>`, published one after the other and
 * acknowledged by the stream before the next, so the stream holds every subject's events in order.
 * The `Nats-Msg-Id` header is the event's id: the stream drops a re-sent event within its
 * duplicate window (an hour), and consumers de-duplicate on it beyond. No connection, no answer in
 * time, or no stream to store it: transient (the relay sends the batch again later).
 */
export class NatsJetStreamSink implements DataPlatformSink {
  readonly name: string;
  readonly personalData: PersonalDataHandling;
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;

  constructor(
    private readonly config: NatsSinkConfig,
    options: { name?: string } = {},
  ) {
    this.name = options.name ?? 'data-platform-nats';
    this.personalData = config.personalData ?? 'omit';
  }

  async deliver(events: CloudEvent[]): Promise<SinkAnswer> {
    try {
      const { js } = await this.connected();
      for (const event of events) {
        const h = headers();
        h.set('content-type', 'application/cloudevents+json; charset=utf-8');
        await js.publish(`${this.config.subject}.${subjectToken(event.subject)}`, JSON.stringify(event), {
          msgID: event.id,
          headers: h,
          timeout: this.config.timeoutMs,
        });
      }
      return { kind: 'accepted' };
    } catch (e) {
      // a broken connection is opened again on the next batch
      await this.drop();
      return { kind: 'transient', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  async shutdown(): Promise<void> {
    await this.drop();
  }

  private connected(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    this.connection ??= (async () => {
      const nc = await connect({
        servers: this.config.servers.split(',').map((s) => s.trim()),
        timeout: this.config.timeoutMs,
        name: 'service-hall-outbox',
        maxReconnectAttempts: 0,
      });
      try {
        const jsm = await nc.jetstreamManager({ timeout: this.config.timeoutMs });
        await jsm.streams.info(this.config.stream).catch(async () => {
          await jsm.streams.add({
            name: this.config.stream,
            subjects: [`${this.config.subject}.>`],
            duplicate_window: 3_600_000_000_000, // an hour, in nanoseconds
          });
        });
        return { nc, js: nc.jetstream({ timeout: this.config.timeoutMs }) };
      } catch (e) {
        await nc.close();
        throw e;
      }
    })();
    this.connection.catch(() => {
      this.connection = undefined;
    });
    return this.connection;
  }

  private async drop(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    if (c) await c.then((x) => x.nc.close()).catch(() => {});
  }
}

/** The aggregate type of a subject (`application/<id>`), as one subject token. */
function subjectToken(subject: string): string {
  return (subject.split('/')[0] || 'unknown').replace(/[^A-Za-z0-9_-]/g, '_');
}
