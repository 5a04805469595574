import PDFDocument from 'pdfkit';

/**
 * A letter-size, bilingual PDF document (pdfkit, standard fonts) and the bytes it will make, for the
 * portal's documents (permits, receipts). The caller draws, then ends the document.
 */
export function bilingualDocument(info: PDFKit.DocumentInfo): {
  doc: PDFKit.PDFDocument;
  bytes: Promise<Buffer>;
} {
  const doc = new PDFDocument({ size: 'LETTER', margin: 56, info, lang: 'fr-CA' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

/** A labelled value: the label in both languages, small; the value below. */
export function labelled(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#444').text(label);
  doc
    .font('Helvetica')
    .fontSize(12)
    .fillColor('#000')
    .text(value || '—');
  doc.moveDown(0.6);
}
