import { nextInYear, yearlyNumber } from '../../db/counters';
import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';

type Conn = Db | Tx;

/** The next permit number of the year ("PC-2026-000001"), gapless like file numbers (a locked counter row). */
export async function nextPermitNumber(tx: Tx, year: number): Promise<string> {
  return yearlyNumber('PC', year, await nextInYear(tx, 'permit_counters', year));
}

export async function insertPermit(
  tx: Tx,
  permit: {
    applicationId: number;
    number: string;
    verificationCode: string;
    conditions: string;
    issuedAt: Date;
    issuedBy: number | null;
    issuedByName: string;
    pdf: Buffer;
  },
): Promise<void> {
  await tx('permits').insert({
    application_id: permit.applicationId,
    number: permit.number,
    verification_code: permit.verificationCode,
    conditions: permit.conditions,
    issued_at: permit.issuedAt,
    issued_by: permit.issuedBy,
    issued_by_name: permit.issuedByName,
    pdf: permit.pdf,
  });
}

export interface PermitSummary {
  number: string;
  issued_at: Date;
  conditions: string;
}

/** The permit of an application, without its PDF (the application pages show its number and date). */
export function permitOf(conn: Conn, applicationId: number): Read<PermitSummary | undefined> {
  return Read.of(
    conn('permits')
      .where({ application_id: applicationId })
      .select('number', 'issued_at', 'conditions')
      .limit(1),
    (rows: PermitSummary[]) => rows[0],
  );
}

export async function permitPdf(
  conn: Conn,
  applicationId: number,
): Promise<{ number: string; pdf: Buffer } | undefined> {
  return conn('permits').where({ application_id: applicationId }).first('number', 'pdf');
}

/**
 * The permit with this number and this code, with what the public may know of it: its application's
 * status, the address and the kind of work. Nothing about the applicant.
 */
export async function verifiedPermit(conn: Conn, number: string, code: string) {
  return conn('permits as p')
    .join('applications as a', 'a.id', 'p.application_id')
    .where({ 'p.number': number, 'p.verification_code': code })
    .first(
      'p.number',
      'p.issued_at',
      'a.status',
      'a.permit_type',
      'a.street_number',
      'a.street_name',
      'a.unit',
      'a.city',
    );
}
