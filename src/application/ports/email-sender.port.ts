/** One e-mail to one person (a reminder, an escalation, an urge). Plain text, UTF-8. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Outgoing mail (SMTP in production). Throws when the message could not be handed over. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}
