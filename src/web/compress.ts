import type { RequestHandler } from 'express';
import { constants, gzipSync } from 'node:zlib';

/** Below this, gzip's own header and the CPU cost more than they save. */
const THRESHOLD = 1024;
/** Level 4 gives pages within a few percent of the default level's size, in about two thirds of its time. */
const OPTIONS = { level: 4, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY };

/**
 * Rendered pages gzipped in one piece, sent with their length in a single write.
 *
 * The `compression` middleware streams: a page went out as a header write, a body chunk and a closing
 * chunk, with two hops to the thread pool for zlib; on this machine each socket write is expensive
 * (writev was 22 % of the portal's CPU on the Demandes tab). A page is a few KB made at once, so it is
 * compressed at once (about 0.1 ms) and written with its headers.
 */
export const compressPages: RequestHandler = (req, res, next) => {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (typeof body !== 'string' || body.length < THRESHOLD || res.getHeader('Content-Encoding')) {
      return send(body);
    }
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') return send(body);
    // res.send would label a Buffer application/octet-stream; a string it calls HTML.
    if (!res.getHeader('Content-Type')) res.type('html');
    res.setHeader('Content-Encoding', 'gzip');
    return send(gzipSync(body, OPTIONS));
  };
  next();
};
