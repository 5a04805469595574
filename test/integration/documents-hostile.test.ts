import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStoreFor } from '../../src/storage';
import { registeredUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, textOf, visitor, type Visitor } from '../support/browser-like';
import { documentsPage, pdfBytes, upload } from '../support/documents';

const uploadsDir = mkdtempSync(join(tmpdir(), 'portal-upload-test-'));
const portal = testPortal({ rateLimitScale: 20, env: { UPLOAD_TMP_DIR: uploadsDir } });
const { app, runtime } = portal;
const db = runtime.db;
const store = objectStoreFor(runtime.config.storage);

let applicant: Visitor;
let number: string;
let server: Server;

beforeAll(async () => {
  applicant = visitor(app);
  await registeredUser(applicant);
  number = await submittedApplication(applicant);
  server = createServer(app).listen(0, '127.0.0.1');
});
afterAll(async () => {
  server.close();
  await portal.close();
  rmSync(uploadsDir, { recursive: true, force: true });
});

const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function documentCount(): Promise<number> {
  const application = await db('applications').where({ number }).first('id');
  const counted = await db('documents').where({ application_id: application.id }).count({ count: '*' });
  return Number(counted[0]!.count);
}

/** What every refusal must leave: no row, no object for the bytes sent, no temporary file. */
async function nothingLeft(before: number, contents: Buffer[]) {
  expect(await documentCount()).toBe(before);
  for (const content of contents) expect(await store.has(`documents/${sha(content)}`)).toBe(false);
  expect(readdirSync(uploadsDir)).toEqual([]);
}

/** A multipart body written by hand, for what a browser library would not send (NUL in a name). */
function multipart(
  parts: { name: string; filename?: string; encodedName?: string; content: Buffer | string }[],
) {
  const boundary = `----portal${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      `form-data; name="${part.name}"` +
      (part.filename !== undefined ? `; filename="${part.filename}"` : '') +
      (part.encodedName ? `; filename*=UTF-8''${part.encodedName}` : '');
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.filename !== undefined ? 'Content-Type: application/pdf\r\n' : ''}\r\n`,
        'utf8',
      ),
      Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content, 'utf8'),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

async function token(): Promise<string> {
  return csrfFrom((await applicant.get(documentsPage(number))).text);
}

describe('hostile uploads', () => {
  it('refuses a file whose content is not a PDF, JPEG or PNG, whatever its name says', async () => {
    const before = await documentCount();
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(500, 1)]);
    const res = await upload(applicant, number, [
      { name: 'plan.pdf', content: pdfBytes() },
      { name: 'devis.pdf', content: html },
    ]);
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain(
      'Le fichier « devis.pdf » n’est pas un PDF, un JPEG ou un PNG (son contenu est vérifié, pas seulement son nom).',
    );
    expect(res.text).toMatch(/<input id="files"[^>]*aria-invalid="true"/);
    const english = await upload(
      applicant,
      number,
      [{ name: 'setup.png', content: exe, type: 'image/png' }],
      {
        lang: 'en',
      },
    );
    expect(textOf(english.text)).toContain('The file “setup.png” is not a PDF, a JPEG or a PNG');
    await nothingLeft(before, [html, exe]);
  });

  it('refuses an empty file, no file at all, and 11 files at once', async () => {
    const before = await documentCount();
    const empty = await upload(applicant, number, [{ name: 'vide.pdf', content: Buffer.alloc(0) }]);
    expect(empty.status).toBe(422);
    expect(textOf(empty.text)).toContain('Le fichier « vide.pdf » est vide.');

    const { body, type } = multipart([
      { name: '_csrf', content: await token() },
      { name: 'files', filename: '', content: '' },
    ]);
    const none = await applicant.post(documentsPage(number)).set('Content-Type', type).send(body);
    expect(none.status).toBe(422);
    expect(textOf(none.text)).toContain('Choisissez au moins un fichier à téléverser.');

    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.pdf`, content: pdfBytes(`${i}`) }));
    const many = await upload(applicant, number, eleven);
    expect(many.status).toBe(422);
    expect(textOf(many.text)).toContain('Téléversez 10 fichiers au plus à la fois.');
    const hundred = Array.from({ length: 100 }, (_, i) => ({
      name: `c${i}.pdf`,
      content: pdfBytes(`c${i}`),
    }));
    expect((await upload(applicant, number, hundred)).status).toBe(422);
    await nothingLeft(
      before,
      [...eleven, ...hundred].map((f) => f.content),
    );
  });

  it('refuses a file of 50 MB and 1 byte, and takes one of exactly 50 MB', async () => {
    const before = await documentCount();
    const limit = 50 * 1024 * 1024;
    const head = pdfBytes();
    const tooBig = Buffer.concat([head, Buffer.alloc(limit + 1 - head.length, 0x20)]);
    const res = await upload(applicant, number, [{ name: 'grand.pdf', content: tooBig }]);
    expect(res.status).toBe(413);
    expect(textOf(res.text)).toContain('Le fichier « grand.pdf » dépasse 50 Mo.');
    await nothingLeft(before, [tooBig]);

    const justRight = tooBig.subarray(0, limit);
    expect((await upload(applicant, number, [{ name: 'juste.pdf', content: justRight }])).status).toBe(303);
    expect(await documentCount()).toBe(before + 1);
    expect(await store.has(`documents/${sha(justRight)}`)).toBe(true);
  });

  it('keeps a hostile name for display only: no path, no NUL, no control characters, 120 characters at most', async () => {
    const content = pdfBytes();
    // A NUL in the part's header is no multipart at all: refused as a form that could not be read.
    const raw = multipart([
      { name: '_csrf', content: await token() },
      { name: 'files', filename: 'pass\u0000wd.pdf', content },
    ]);
    const malformed = await applicant
      .post(documentsPage(number))
      .set('Content-Type', raw.type)
      .send(raw.body);
    expect(malformed.status).toBe(422);
    expect(textOf(malformed.text)).toContain('Le formulaire envoyé n’a pas pu être lu.');
    expect(await store.has(`documents/${sha(content)}`)).toBe(false);
    expect(readdirSync(uploadsDir)).toEqual([]);
    // Encoded (RFC 5987) the NUL reaches the name, and is taken out of it.
    const nul = multipart([
      { name: '_csrf', content: await token() },
      { name: 'files', filename: 'x', encodedName: 'pass%00wd.pdf', content },
    ]);
    expect(
      (await applicant.post(documentsPage(number)).set('Content-Type', nul.type).send(nul.body)).status,
    ).toBe(303);
    expect(
      (
        await db('documents')
          .where({ sha256: sha(content) })
          .first()
      ).file_name,
    ).toBe('passwd.pdf');
    await db('documents')
      .where({ sha256: sha(content) })
      .delete();
    // Other control characters, a path, a character that reverses text and 300 letters reach the name,
    // and are taken out of it.
    const name = `..%2F..%2Fetc%2Fpass%07wd%E2%80%AE${'%C3%A9'.repeat(300)}.pdf`;
    const { body, type } = multipart([
      { name: '_csrf', content: await token() },
      { name: 'files', filename: 'x', encodedName: name, content },
    ]);
    const res = await applicant.post(documentsPage(number)).set('Content-Type', type).send(body);
    expect(res.status).toBe(303);
    const row = await db('documents')
      .where({ sha256: sha(content) })
      .first();
    expect(row.file_name).toBe(`passwd${'é'.repeat(110)}.pdf`);
    expect(row.file_name).toHaveLength(120);
    expect(await store.has(`documents/${sha(content)}`)).toBe(true);
  });

  it('refuses an upload without the form’s token, or with the token after the file, before storing anything', async () => {
    const before = await documentCount();
    const content = pdfBytes();
    const noToken = multipart([{ name: 'files', filename: 'a.pdf', content }]);
    const res = await applicant
      .post(documentsPage(number))
      .set('Content-Type', noToken.type)
      .send(noToken.body);
    expect(res.status).toBe(403);
    const late = multipart([
      { name: 'files', filename: 'a.pdf', content },
      { name: '_csrf', content: await token() },
    ]);
    expect(
      (await applicant.post(documentsPage(number)).set('Content-Type', late.type).send(late.body)).status,
    ).toBe(403);
    const forged = multipart([
      { name: '_csrf', content: `${(await token()).slice(1)}x` },
      { name: 'files', filename: 'a.pdf', content },
    ]);
    expect(
      (await applicant.post(documentsPage(number)).set('Content-Type', forged.type).send(forged.body)).status,
    ).toBe(403);
    await nothingLeft(before, [content]);
  });

  it('removes the stored object when the upload is refused after storing (a request already answered)', async () => {
    const before = await documentCount();
    const content = pdfBytes();
    const res = await upload(applicant, number, [{ name: 'reponse.pdf', content }], { item: 999_999_999 });
    expect(res.status).toBe(422);
    expect(textOf(res.text)).toContain('Cette demande du personnel a déjà reçu une réponse.');
    await nothingLeft(before, [content]);
  });

  it('leaves nothing behind when the connection is cut mid-upload', async () => {
    const before = await documentCount();
    const content = Buffer.concat([pdfBytes(), Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    const { body, type } = multipart([
      { name: '_csrf', content: await token() },
      { name: 'files', filename: 'coupe.pdf', content },
    ]);
    const jar = (
      applicant as unknown as { jar: { getCookies: (access: object) => { toValueString: () => string } } }
    ).jar;
    const cookie = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .toValueString();
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST ${encodeURI(documentsPage(number))} HTTP/1.1\r\nHost: portal.test\r\nX-Forwarded-For: ${applicant.ip}\r\n` +
            `Cookie: ${cookie}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        // Half the file, then the connection is gone.
        socket.write(body.subarray(0, body.length / 2), () => setTimeout(() => socket.destroy(), 200));
      });
      socket.on('close', () => resolve());
    });
    // The server notices the cut and removes the partial file.
    for (let i = 0; i < 50 && readdirSync(uploadsDir).length; i++)
      await new Promise((r) => setTimeout(r, 100));
    await nothingLeft(before, [content]);
  });
});
