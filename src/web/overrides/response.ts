import type { RequestHandler } from 'express';
import { constants, gzipSync } from 'node:zlib';

// res.send and res.redirect, replaced per request; see session-store.ts for why they live here.

/** Below this, gzip's own header and the CPU cost more than they save. */
const THRESHOLD = 1024;
/**
 * Pages are a few KB to a few tens of KB: a 16 KB window and smaller hash tables give the default
 * level's bytes (2,310 for the 8 KB Demandes page, 2,574 for the 14 KB Comptes associés page) in less
 * time (36 µs instead of 57 for the first), and each call sets up 128 KB of zlib state instead of 384.
 * An 8 KB window was faster still but made the larger page 13 % heavier.
 */
const OPTIONS = { level: 6, windowBits: 14, memLevel: 7, strategy: constants.Z_DEFAULT_STRATEGY };

/**
 * Rendered pages gzipped in one piece, sent with their length in a single write.
 *
 * The `compression` middleware streams: a page went out as a header write, a body chunk and a closing
 * chunk, with two hops to the thread pool for zlib; on this machine each socket write is expensive
 * (writev was 22 % of the portal's CPU on the Demandes tab). A page is a few KB made at once, so it is
 * compressed at once (about 40 µs) and written with its headers.
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

/**
 * express-session writes a response's headers before its save of the session has finished, so a browser
 * can follow a 303 (a POST's redirect) with a request that still reads the session as it was: the page
 * after "Vérifier le code" then did not yet know the second factor was proved. A redirect therefore
 * waits for the save when the request changed the session.
 */
export const saveBeforeRedirect: RequestHandler = (req, res, next) => {
  const loaded = req.session ? JSON.stringify(req.session) : undefined;
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const session = req.session;
    if (!session || JSON.stringify(session) === loaded) return redirect(...args);
    session.save((error) => (error ? next(error) : redirect(...args)));
  }) as typeof res.redirect;
  next();
};
