import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The string of the EICAR test file, which every antivirus treats as a virus by convention. Written here
 * from its parts so that this source file is not itself flagged.
 */
export const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE', '!$H+H*'].join(
  '',
);

/** The name clamd gives what our signature finds (".UNOFFICIAL": it is not from ClamAV's databases). */
export const EICAR_FOUND = 'Portal.Test.EICAR.UNOFFICIAL';

export interface Clamd {
  /** As CLAMD_ADDRESS takes it: host:port. */
  address: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('zPING\0'));
    socket.setTimeout(1000);
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * A real clamd (Debian's clamav-daemon) for tests, the benchmark and the load run, with a signature
 * database made here: one body signature (ClamAV's .ndb format) for the EICAR string, anywhere in a file
 * of any type. Nothing is downloaded; it starts in about a second.
 */
export async function startClamd(): Promise<Clamd> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-clamd-'));
  const port = await freePort();
  const hex = Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE').toString('hex');
  writeFileSync(join(dir, 'portal-test.ndb'), `Portal.Test.EICAR:0:*:${hex}\n`);
  writeFileSync(
    join(dir, 'clamd.conf'),
    [
      `DatabaseDirectory ${dir}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      'Foreground true',
      `LogFile ${join(dir, 'clamd.log')}`,
      // Uploads are up to 50 MB; clamd's stream limit must not cut them short.
      'StreamMaxLength 60M',
      'MaxFileSize 60M',
      'MaxScanSize 60M',
      'MaxThreads 4',
    ].join('\n'),
  );
  const child = spawn('clamd', ['-c', join(dir, 'clamd.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawned = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`clamd could not start (apt-get install clamav-daemon): ${error.message}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`clamd ended at start (code ${code}); see ${dir}/clamd.log`)),
    );
  });
  const ready = (async () => {
    for (let i = 0; i < 300; i++) {
      if (await answersPing(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('clamd did not answer within 30 s');
  })();
  await Promise.race([ready, spawned]);
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
