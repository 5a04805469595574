import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { SMTPServer } from 'smtp-server';
import { projectRoot } from '../../src/project-root';
import { listen, receivingSmtpServer } from '../../test/support/smtp-sink';

export interface Delivered {
  to: string;
  subject: string;
  /** Which email it is, recognised from its subject in either language. */
  template: string;
  messageId: string;
  text: string;
}

/**
 * Subject lines of every email template, in both languages, as patterns ({{company}} matches anything),
 * the most literal first: "Demande {{number}} : {{status}}" would also match another template's subject.
 */
function subjectPatterns(): [RegExp, string][] {
  const patterns: [RegExp, string, number][] = [];
  for (const lang of ['fr', 'en']) {
    const emails = JSON.parse(
      readFileSync(join(projectRoot, 'locales', lang, 'emails.json'), 'utf8'),
    ) as Record<string, { subject?: string }>;
    for (const [template, { subject }] of Object.entries(emails)) {
      if (!subject) continue;
      const source = subject
        .split(/\{\{\w+\}\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+');
      patterns.push([new RegExp(`^${source}$`), template, subject.replace(/\{\{\w+\}\}/g, '').length]);
    }
  }
  return patterns.sort((a, b) => b[2] - a[2]).map(([pattern, template]) => [pattern, template]);
}

/**
 * A real SMTP server in the load process, keeping what it receives in memory. It can be stopped and
 * started again on the same port, to play an outage of the city's mail server.
 */
export class MailSink {
  readonly delivered: Delivered[] = [];
  private server?: SMTPServer;
  private readonly patterns = subjectPatterns();
  private readonly waiters = new Map<string, (mail: Delivered) => void>();
  port = 0;

  async start(): Promise<void> {
    const server = receivingSmtpServer(async (raw, recipients) => {
      const parsed = await simpleParser(raw);
      const subject = parsed.subject ?? '';
      for (const to of recipients) {
        const mail: Delivered = {
          to,
          subject,
          template: this.patterns.find(([pattern]) => pattern.test(subject))?.[1] ?? 'unknown',
          messageId: parsed.messageId ?? '',
          text: parsed.text ?? '',
        };
        this.delivered.push(mail);
        this.waiters.get(`${mail.to} ${mail.template}`)?.(mail);
      }
    });
    this.port = await listen(server, this.port);
    this.server = server;
  }

  /** Refuses connections from now on; the connections already open are dropped. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    // smtp-server waits for open sessions to end; nodemailer keeps none open between messages, so this
    // only cuts a message half-sent, as a real outage would.
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }

  /** The first email of this template to this address, waiting for it up to `timeoutMs`. */
  waitFor(to: string, template: string, timeoutMs: number): Promise<Delivered | undefined> {
    const found = this.delivered.find((m) => m.to === to.toLowerCase() && m.template === template);
    if (found) return Promise.resolve(found);
    const key = `${to.toLowerCase()} ${template}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(key, (mail) => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve(mail);
      });
    });
  }
}
