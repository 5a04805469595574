import type { Readable } from 'node:stream';
import NodeClam from 'clamscan';

export type ScanOutcome = { clean: true } | { clean: false; found: string[] };

/** What reads a document before anyone may download it. */
export interface Scanner {
  scan(stream: Readable): Promise<ScanOutcome>;
}

/**
 * ClamAV's daemon (clamd) through clamscan, a maintained client of its INSTREAM command: the file is
 * streamed to clamd, never written where clamd reads files. `address` is host:port or a socket's path.
 * The connection is made on first use, and again after a failure, so a scanner that was down when the
 * portal started is used once it is up (the scan job is retried meanwhile).
 */
export function clamdScanner(address: string): Scanner {
  const where = address.startsWith('/')
    ? { socket: address }
    : { host: address.slice(0, address.lastIndexOf(':')), port: Number(address.split(':').pop()) };
  let client: Promise<NodeClam> | undefined;
  const connect = () =>
    (client ??= new NodeClam()
      .init({
        removeInfected: false,
        preference: 'clamdscan',
        clamscan: { active: false },
        clamdscan: { ...where, timeout: 120_000, localFallback: false, active: true },
      })
      .catch((error: unknown) => {
        client = undefined;
        throw error;
      }));
  return {
    async scan(stream) {
      const result = await (await connect()).scanStream(stream);
      if (result.isInfected === null) throw new Error('clamd gave no answer');
      return result.isInfected ? { clean: false, found: result.viruses } : { clean: true };
    },
  };
}
