import { bilingualDocument, labelled } from '../../pdf/document';
import type { i18n } from 'i18next';
import { formatDate, formatMoney } from '../../domain/formatting';
import { LANGS } from '../../i18n/i18n';

export interface ReceiptContent {
  receiptNumber: string;
  paidAt: Date;
  payerName: string;
  lines: { number: string; address: string; kindKey: string; amountCents: number }[];
  totalCents: number;
}

/** The receipt ("Reçu / Receipt") as a bilingual PDF, like the permit (pdfkit, standard fonts). */
export function renderReceiptPdf(i18n: i18n, receipt: ReceiptContent): Promise<Buffer> {
  const [fr, en] = LANGS.map((lang) => i18n.getFixedT(lang, 'fees'));
  const both = (key: string) => `${fr!(key)} / ${en!(key)}`;
  const { doc, bytes } = bilingualDocument({ Title: `${both('receipt.title')} ${receipt.receiptNumber}` });
  const money = (cents: number) => `${formatMoney(cents, 'fr')} / ${formatMoney(cents, 'en')}`;
  doc.font('Helvetica').fontSize(10).fillColor('#444').text(both('receipt.city'));
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(22).fillColor('#000').text(both('receipt.title'));
  doc.font('Helvetica').fontSize(12).text(receipt.receiptNumber);
  doc.moveDown();
  const row = (key: string, value: string) => labelled(doc, both(key), value);
  row('receipt.paidOn', `${formatDate(receipt.paidAt, 'fr')} / ${formatDate(receipt.paidAt, 'en')}`);
  row('receipt.payer', receipt.payerName);
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#444').text(both('receipt.lines'));
  doc.moveDown(0.3);
  for (const line of receipt.lines) {
    doc.font('Helvetica').fontSize(11).fillColor('#000');
    doc.text(`${line.number} – ${line.address}`);
    doc.text(`${fr!(line.kindKey)} / ${en!(line.kindKey)} : ${money(line.amountCents)}`);
    doc.moveDown(0.4);
  }
  doc
    .moveDown(0.4)
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(`${both('totalPaid')} : ${money(receipt.totalCents)}`);
  doc.end();
  return bytes;
}
