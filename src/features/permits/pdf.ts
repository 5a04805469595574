import { bilingualDocument, labelled } from '../../pdf/document';
import type { i18n } from 'i18next';
import { formatDate } from '../../domain/formatting';
import { LANGS, type Lang } from '../../i18n/i18n';

/** What a permit says, in both languages (locales/<lang>/permits.json holds every word of it). */
export interface PermitContent {
  permitNumber: string;
  fileNumber: string;
  address: string;
  applicant: string;
  permitType: string;
  description: string;
  conditions: string;
  issuedAt: Date;
  verificationCode: string;
  /** The public page where anyone checks it ("Vérifier un permis"), in each language. */
  verifyUrls: Record<Lang, string>;
}

/**
 * The building permit as a PDF, French then English on each line ("Permis de construire / Building
 * permit"), made with pdfkit (maintained, streams, standard fonts that hold every French letter, no font
 * file to ship). The document's metadata carries its number, so a search in a file manager finds it.
 */
export function renderPermitPdf(i18n: i18n, permit: PermitContent): Promise<Buffer> {
  const [fr, en] = LANGS.map((lang) => i18n.getFixedT(lang, 'permits'));
  const both = (key: string) => `${fr!(key)} / ${en!(key)}`;
  const { doc, bytes } = bilingualDocument({
    Title: `${both('title')} ${permit.permitNumber}`,
    Author: `${fr!('city')} / ${en!('city')}`,
    Subject: permit.address,
  });
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#444')
    .text(`${fr!('city')} / ${en!('city')}`);
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(22).fillColor('#000').text(both('title'));
  doc.font('Helvetica').fontSize(12).text(permit.permitNumber);
  doc.moveDown();
  const row = (key: string, value: string) => labelled(doc, both(key), value);
  row('fileNumber', permit.fileNumber);
  row('address', permit.address);
  row('applicant', permit.applicant);
  row('work', `${permit.permitType}\n${permit.description}`);
  row('conditions', permit.conditions || both('noConditions'));
  row('issuedOn', `${formatDate(permit.issuedAt, 'fr')} / ${formatDate(permit.issuedAt, 'en')}`);
  // The verification code in a box, drawn once its contents are written and their height known.
  doc.moveDown(0.5);
  const box = { x: doc.x, y: doc.y, width: doc.page.width - 2 * 56 };
  const inside = box.x + 10;
  doc.y += 8;
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#444').text(both('verificationCode'), inside);
  doc.font('Courier-Bold').fontSize(16).fillColor('#000').text(permit.verificationCode, inside);
  doc.font('Helvetica').fontSize(9).fillColor('#000');
  doc.text(fr!('verifyAt', { url: permit.verifyUrls.fr }), inside);
  doc.text(en!('verifyAt', { url: permit.verifyUrls.en }), inside);
  doc
    .rect(box.x, box.y, box.width, doc.y + 8 - box.y)
    .strokeColor('#1a5a96')
    .lineWidth(1.5)
    .stroke();
  doc.y += 8;
  doc.moveDown(2);
  doc.font('Helvetica').fontSize(9).fillColor('#444').text(fr!('posting'), 56).text(en!('posting'));
  doc.end();
  return bytes;
}
