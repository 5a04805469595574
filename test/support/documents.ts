import { deflateSync } from 'node:zlib';
import type { Db } from '../../src/db/knex';
import { EICAR } from '../../scripts/support/clamd';
import { csrfFrom, type Visitor } from './browser-like';

/** A small real PDF (one page, one line of text) with `marker` in it, so each test's bytes differ. */
export function pdfBytes(marker = String(Math.random())): Buffer {
  const text = `BT /F1 18 Tf 72 720 Td (Plan ${marker}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A PDF that carries the EICAR test string: a real PDF to the type check, a virus to clamd. */
export function infectedPdf(): Buffer {
  return Buffer.concat([pdfBytes(), Buffer.from(`%${EICAR}\n`, 'latin1')]);
}

/** A 1×1 PNG (its CRCs computed), `seed` in a text chunk so each differs. */
export function pngBytes(seed = String(Math.random())): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`seed\0${seed}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const documentsPage = (number: string, lang: 'fr' | 'en' = 'fr') =>
  lang === 'fr'
    ? `/fr/services-code-batiment/demandes/${number}/documents`
    : `/en/building-code-services/applications/${number}/documents`;

export interface Upload {
  name: string;
  content: Buffer;
  /** What the browser says the type is (never believed). */
  type?: string;
}

/** Opens the documents page and sends its form as a browser does: the token first, then the files. */
export async function upload(
  agent: Visitor,
  number: string,
  files: Upload[],
  options: { lang?: 'fr' | 'en'; item?: number } = {},
) {
  const path = documentsPage(number, options.lang);
  const page = await agent.get(path);
  let request = agent.post(path).field('_csrf', csrfFrom(page.text));
  if (options.item !== undefined) request = request.field('item', String(options.item));
  for (const file of files)
    request = request.attach('files', file.content, {
      filename: file.name,
      contentType: file.type ?? 'application/pdf',
    });
  return request;
}

/** Waits for the worker's scan to end (a document no longer "being scanned"); returns its row. */
export async function scanned(db: Db, documentId: number) {
  // One clamd serves every test file: behind another file's 50 MB upload, a scan waits its turn.
  for (let i = 0; i < 600; i++) {
    const row = await db('documents').where({ id: documentId }).first();
    if (row.status !== 'scanning') return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`document ${documentId} still being scanned after 60 s`);
}
