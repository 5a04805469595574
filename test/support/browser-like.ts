import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

let counter = 0;

/** A unique address per call, so each test owns its data and the suite can run repeatedly on one database. */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}.${process.pid}.${Date.now().toString(36)}.${counter}@example.test`;
}

/**
 * A client IP of its own per visitor (the app trusts X-Forwarded-For from loopback, as behind a proxy).
 * Random over 10.0.0.0/8: the test database outlives a run, and per-IP counts kept in it must not meet
 * those of an earlier run.
 */
function nextIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${(c! % 254) + 1}`;
}

export type Visitor = TestAgent & { ip: string };

/** A visitor with its own cookie jar and IP, like one browser. */
export function visitor(app: Express, ip = nextIp()): Visitor {
  const agent = request.agent(app) as Visitor;
  agent.set('X-Forwarded-For', ip);
  agent.ip = ip;
  return agent;
}

export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

/** Opens the page holding the form, then posts it with the page's CSRF token, as a browser would. */
export async function submitForm(
  agent: Visitor,
  formPage: string,
  action: string,
  fields: Record<string, string>,
) {
  const page = await agent.get(formPage);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

export function sessionCookie(response: { headers: Record<string, unknown> }): string | undefined {
  const cookies = response.headers['set-cookie'];
  const list = Array.isArray(cookies) ? (cookies as string[]) : [];
  return list.find((c) => c.startsWith('portal.sid='))?.split(';')[0];
}

/** Visible text of a page, for asserting on messages. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
