import ejs from 'ejs';
import { projectRoot } from '../project-root';
import { join } from 'node:path';
import type { i18n } from 'i18next';
import type { EmailJob } from './queue';
import { formatDate, formatMoney } from '../domain/formatting';

export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  /** Without its angle brackets and domain; the transport completes it. */
  messageId?: string;
}

const viewsDir = join(projectRoot, 'views', 'emails');

/**
 * Every email has the same shape, written in locales/<lang>/emails.json: a subject, paragraphs, an optional
 * button (its link comes from the job), and closing paragraphs. Rendered as HTML and as plain text.
 */
export async function renderEmail(
  i18n: i18n,
  job: EmailJob,
  secrets: Record<string, string>,
): Promise<RenderedEmail> {
  const t = i18n.getFixedT(job.lang, 'emails');
  const values: Record<string, string> = { ...job.params, ...secrets };
  // Permission keys become their names in the recipient's language.
  if (values.permissions !== undefined) {
    const names = values.permissions
      .split(',')
      .filter(Boolean)
      .map((key) => i18n.t(`companies:permissions.${key}`, { lng: job.lang }));
    values.permissions = names.length ? names.join(', ') : t('common.noPermission');
  }
  const paragraphs = (key: string) => {
    const found = t(`${job.template}.${key}`, { ...values, returnObjects: true, defaultValue: [] });
    return Array.isArray(found) ? (found as string[]) : [];
  };
  // An amount in cents becomes money as the recipient writes it (1 250,50 $ / $1,250.50).
  if (values.feeCents !== undefined) values.fee = formatMoney(Number(values.feeCents), job.lang);
  // An inspection's stage (its name in each language, from the city's table), day and window.
  if (values.stageFr !== undefined)
    values.stage = job.lang === 'fr' ? values.stageFr : (values.stageEn ?? '');
  if (values.day !== undefined) values.dayText = formatDate(new Date(`${values.day}T12:00:00Z`), job.lang);
  if (values.window !== undefined)
    values.windowName = i18n.t(`inspections:windows.${values.window}`, { lng: job.lang });
  // A permit type becomes its name in the recipient's language.
  if (values.permitType !== undefined)
    values.permitTypeName = i18n.t(`applications:permitTypes.${values.permitType}`, { lng: job.lang });
  // A status becomes its name in the recipient's language.
  if (values.status !== undefined) values.statusName = i18n.t(`status:${values.status}`, { lng: job.lang });
  // A refund decision becomes its sentence in the recipient's language.
  if (values.refund !== undefined) values.refundText = t(`common.refund.${values.refund}`, values);
  const message = {
    lang: job.lang,
    subject: t(`${job.template}.subject`, values),
    greeting: t('common.greeting'),
    paragraphs: paragraphs('paragraphs'),
    items: job.items ?? [],
    action: values.link ? { label: t(`${job.template}.action`, values), url: values.link } : undefined,
    closing: paragraphs('closing'),
    city: i18n.t('common:municipality.city', { lng: job.lang }),
    accountService: i18n.t('common:municipality.accountService', { lng: job.lang }),
    signature: t('common.signature'),
    footer: t('common.footer'),
  };
  const [html, text] = await Promise.all([
    ejs.renderFile(join(viewsDir, 'message.html.ejs'), message),
    ejs.renderFile(join(viewsDir, 'message.txt.ejs'), message, { escape: (s: unknown) => String(s) }),
  ]);
  const attachments = job.attachments?.map((file) => ({
    ...file,
    content: Buffer.from(file.content, 'base64'),
  }));
  return {
    to: job.to,
    subject: message.subject,
    text,
    html,
    messageId: job.messageId,
    ...(attachments ? { attachments } : {}),
  };
}
