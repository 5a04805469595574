import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPortal } from '../support/app';
import { submittedApplication } from '../support/applications';
import { csrfFrom, visitor, type Visitor } from '../support/browser-like';
import { peopleAroundCompany } from '../support/companies';
import { documentsPage, pdfBytes, scanned, upload } from '../support/documents';

const portal = testPortal({ rateLimitScale: 10 });
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

/** A company's application with one clean document; every J10 document route tried by each person. */
type Who = 'anonymous' | 'stranger' | 'member' | 'member+pay' | 'member+upload' | 'manager' | 'staff';
const people = new Map<Who, Visitor>();
let number = '';
let documentId = 0;
let applicationId = 0;

beforeAll(async () => {
  const around = await peopleAroundCompany(app, runtime, 'Plans Outaouais', [
    ['member', {}],
    ['member+pay', { can_pay: true }],
    ['member+upload', { can_upload: true }],
  ] as const);
  for (const [who, agent] of around.people) people.set(who, agent);
  const manager = people.get('manager')!;
  const company = { id: around.companyId };
  number = await submittedApplication(manager, 'fr', { onBehalfOf: String(company.id) });
  expect((await upload(manager, number, [{ name: 'plan.pdf', content: pdfBytes() }])).status).toBe(303);
  const application = await db('applications').where({ number }).first('id');
  applicationId = application.id;
  documentId = (await db('documents').where({ application_id: applicationId }).first()).id;
  expect((await scanned(db, documentId)).status).toBe('clean');
}, 120_000);

const tokenPage = (who: Who) =>
  who === 'staff' ? '/fr/admin' : who === 'anonymous' ? '/fr/connexion' : '/fr/tableau-de-bord';

type Outcome = 'page' | 'signIn' | 'hidden' | 'refused' | 'done';
function outcomeOf(res: { status: number; headers: Record<string, string> }): Outcome {
  if (res.status === 200) return 'page';
  if (res.status === 404) return 'hidden';
  if (res.status === 303) {
    const to = res.headers.location!;
    return to.includes('/connexion') || to.includes('/admin') ? 'signIn' : 'done';
  }
  return 'refused';
}

/** Who sees an application sees its documents: its applicant's side, and members with any permission. */
const SEES: Record<Who, Outcome> = {
  anonymous: 'signIn',
  stranger: 'hidden',
  member: 'hidden',
  'member+pay': 'page',
  'member+upload': 'page',
  manager: 'page',
  staff: 'refused',
};
/** Uploading: Téléverser des fichiers (or Gérer); a reader is refused before a byte is stored. */
const UPLOADS: Record<Who, Outcome> = {
  ...SEES,
  'member+pay': 'refused',
  'member+upload': 'done',
  manager: 'done',
};
/** Staff's download from the admin page: staff alone. */
const STAFF_ONLY: Record<Who, Outcome> = {
  anonymous: 'signIn',
  stranger: 'hidden',
  member: 'hidden',
  'member+pay': 'hidden',
  'member+upload': 'hidden',
  manager: 'hidden',
  staff: 'page',
};

describe('J10 document routes, by person', () => {
  const gets: [string, () => string, Record<Who, Outcome>][] = [
    ['documents page', () => documentsPage(number), SEES],
    ['download', () => `${documentsPage(number)}/${documentId}`, SEES],
    ['staff download', () => `/fr/admin/demandes/${number}/documents/${documentId}`, STAFF_ONLY],
  ];
  for (const [label, path, expected] of gets) {
    it(`GET ${label}`, async () => {
      for (const [who, known] of people) {
        const agent = who === 'anonymous' ? visitor(app) : known;
        const res = await agent.get(path());
        expect(outcomeOf(res), `${who} ${label}`).toBe(expected[who]);
        if (expected[who] === 'page' && label !== 'documents page')
          expect(res.headers['content-disposition'], who).toMatch(/^attachment/);
      }
    });
  }

  it('POST an upload', async () => {
    for (const [who, known] of people) {
      const agent = who === 'anonymous' ? visitor(app) : known;
      const token = csrfFrom((await agent.get(tokenPage(who))).text);
      const content = pdfBytes(who);
      const before = await db('documents')
        .where({ application_id: applicationId })
        .count<{ n: string }>('* as n')
        .first();
      const res = await agent
        .post(documentsPage(number))
        .field('_csrf', token)
        .attach('files', content, { filename: `${who}.pdf`, contentType: 'application/pdf' });
      expect(outcomeOf(res), who).toBe(UPLOADS[who]);
      const after = await db('documents')
        .where({ application_id: applicationId })
        .count<{ n: string }>('* as n')
        .first();
      expect(Number(after!.n) - Number(before!.n), `${who} stored`).toBe(UPLOADS[who] === 'done' ? 1 : 0);
    }
  });
});
