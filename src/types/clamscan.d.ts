// clamscan ships no types; the part the portal uses.
declare module 'clamscan' {
  import type { Readable } from 'node:stream';
  interface ClamdOptions {
    host?: string;
    port?: number;
    socket?: string;
    timeout?: number;
    localFallback?: boolean;
    active?: boolean;
  }
  interface Options {
    removeInfected?: boolean;
    clamscan?: { active: boolean };
    clamdscan?: ClamdOptions;
    preference?: 'clamdscan' | 'clamscan';
  }
  export interface ScanResult {
    isInfected: boolean | null;
    viruses: string[];
  }
  export default class NodeClam {
    init(options: Options): Promise<NodeClam>;
    scanStream(stream: Readable): Promise<ScanResult>;
  }
}
