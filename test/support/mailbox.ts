import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { inject } from 'vitest';
import { recipientDir } from './smtp-sink';

export interface ReceivedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

async function read(file: string): Promise<ReceivedEmail> {
  const raw = readFileSync(file, 'utf8');
  const to = /^X-Envelope-To: (.*)\r\n/.exec(raw)?.[1] ?? '';
  const parsed = await simpleParser(raw);
  const text = parsed.text ?? '';
  return {
    to,
    subject: parsed.subject ?? '',
    text,
    html: typeof parsed.html === 'string' ? parsed.html : '',
    links: text.match(/https?:\/\/[^\s)]+/g) ?? [],
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      content: a.content,
    })),
  };
}

/** Parsed once: a received file never changes, and a run's late polls would otherwise parse every email again. */
const parsedFiles = new Map<string, Promise<ReceivedEmail>>();

/** Every email the SMTP server received for this address, oldest first. */
export async function emailsTo(address: string): Promise<ReceivedEmail[]> {
  const dir = recipientDir(inject('mailDir'), address);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return Promise.all(
    files.map((file) => {
      const path = join(dir, file);
      let email = parsedFiles.get(path);
      if (!email) {
        email = read(path);
        parsedFiles.set(path, email);
      }
      return email;
    }),
  );
}

/**
 * Waits until `count` emails have reached this address through SMTP: the worker sends within seconds,
 * up to 20 s when other test files have just queued many (a quarantine tells every staff member).
 */
export async function waitForEmails(
  address: string,
  count = 1,
  timeoutMs = 20_000,
): Promise<ReceivedEmail[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = await emailsTo(address);
    if (found.length >= count) return found;
    if (performance.now() > deadline) {
      throw new Error(`expected ${count} email(s) to ${address}, got ${found.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function waitForEmail(address: string, subject?: RegExp): Promise<ReceivedEmail> {
  const deadline = performance.now() + 20_000;
  for (;;) {
    const found = (await emailsTo(address)).filter((e) => !subject || subject.test(e.subject));
    const last = found.at(-1);
    if (last) return last;
    if (performance.now() > deadline)
      throw new Error(`no email to ${address}${subject ? ` matching ${subject}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
