import type { Response } from 'express';
import { NotFoundError } from '../../errors';

/** Sends a permit's PDF as a download (never rendered in the portal's origin), or a 404. */
export function sendPdf(res: Response, permit: { number: string; pdf: Buffer } | undefined): void {
  if (!permit) throw new NotFoundError();
  res
    .status(200)
    .set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${permit.number}.pdf"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    })
    .send(permit.pdf);
}
