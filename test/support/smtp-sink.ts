import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (no TLS, no authentication) that hands each message it receives, whole, to
 * `onMessage`. Shared by the tests' sink and the load script's.
 */
export function receivingSmtpServer(onMessage: (raw: Buffer, recipients: string[]) => Promise<void> | void) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        Promise.resolve(onMessage(Buffer.concat(chunks), recipients)).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      });
    },
  });
  // A client that dies mid-message resets its connection: not this server's fault.
  server.on('error', () => undefined);
  return server;
}

/** Listens on `port` (0: any free one) on loopback; returns the port. */
export async function listen(server: SMTPServer, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** The folder holding one recipient's emails: polling reads that person's mail, not the whole run's. */
export function recipientDir(dir: string, address: string): string {
  return join(dir, encodeURIComponent(address.toLowerCase()));
}

/**
 * Keeps every message received as a .eml file in each recipient's folder, so tests in any process can
 * read what the portal sent. Written under a temporary name and renamed: a reader never sees half.
 */
export async function startSmtpSink(dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = receivingSmtpServer((raw, recipients) => {
    count += 1;
    const name = `${Date.now()}-${process.pid}-${count}.eml`;
    const content = `X-Envelope-To: ${recipients.join(',')}\r\n${raw.toString('utf8')}`;
    for (const recipient of recipients) {
      const folder = recipientDir(dir, recipient);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `.${name}`), content);
      renameSync(join(folder, `.${name}`), join(folder, name));
    }
  });
  const port = await listen(server);
  return { port, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
