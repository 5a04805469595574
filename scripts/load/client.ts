import { randomBytes } from 'node:crypto';

/** One request as the load saw it: for the report and for the checks after the run. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  /** 0 when no answer came (connection refused or reset, or the client gave up). */
  ms: number;
  startedAt: number;
  /** The page's lang attribute, when it was HTML. */
  lang?: string;
  /** Retry-After, on a 503. */
  retryAfter?: string;
  error?: string;
  /** Answered by another instance than the one in turn, which refused the connection. */
  passedOver?: boolean;
}

/** Past this, a request counts as hung: the client gives up and the run reports it. */
export const HANG_MS = 10_000;

/**
 * A browser-like client: its own cookie jar and client address (the portal trusts X-Forwarded-For from
 * loopback, as behind the city's proxy), redirects followed by hand so each step can be checked.
 * Given several portal instances, its requests go to each in turn, as through a load balancer: one that
 * refuses the connection (it is down, so it never saw the request) is passed over for the next.
 */
export class Client {
  private cookies = new Map<string, string>();
  private readonly ip: string;
  private turn = 0;

  constructor(
    private readonly origins: string[],
    private readonly log: (exchange: Exchange) => void,
  ) {
    const [a, b, c] = randomBytes(3);
    this.ip = `10.${a}.${b}.${(c! % 254) + 1}`;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string | string[]>,
  ): Promise<{ status: number; location?: string; text: string }> {
    const startedAt = Date.now();
    const started = performance.now();
    const body = form ? encodeForm(form) : undefined;
    try {
      const { res, passedOver } = await this.send(path, {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(HANG_MS),
        headers: {
          'x-forwarded-for': this.ip,
          'x-forwarded-proto': 'https',
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        },
        body,
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        const name = pair!.slice(0, at);
        const value = pair!.slice(at + 1);
        if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
      const text = await res.text();
      const lang = /<html lang="([a-z]+)"/.exec(text)?.[1];
      const retryAfter = res.headers.get('retry-after') ?? undefined;
      this.log({
        method,
        path,
        status: res.status,
        ms: performance.now() - started,
        startedAt,
        lang,
        retryAfter,
        ...(passedOver ? { passedOver } : {}),
      });
      return { status: res.status, location: res.headers.get('location') ?? undefined, text };
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause as Error | undefined)?.message || error.name : 'error';
      this.log({ method, path, status: 0, ms: performance.now() - started, startedAt, error: reason });
      return { status: 0, text: '' };
    }
  }

  /** To the next instance in turn; to the one after it when the connection is refused. */
  private async send(path: string, init: RequestInit): Promise<{ res: Response; passedOver: boolean }> {
    const first = this.turn++ % this.origins.length;
    for (let i = 0; ; i += 1) {
      const origin = this.origins[(first + i) % this.origins.length]!;
      try {
        return { res: await fetch(origin + path, init), passedOver: i > 0 };
      } catch (error) {
        const refused = ((error as Error).cause as { code?: string } | undefined)?.code === 'ECONNREFUSED';
        if (!refused || i + 1 >= this.origins.length) throw error;
      }
    }
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** Opens the page holding the form, then posts it with the page's CSRF token, as a browser does. */
  async submit(formPage: string, action: string, fields: Record<string, string | string[]>) {
    const page = await this.get(formPage);
    if (page.status !== 200) return page;
    return this.post(page.text, action, fields);
  }

  /** Posts a form of a page already open, with that page's CSRF token. */
  post(pageHtml: string, action: string, fields: Record<string, string | string[]>) {
    const token = /name="_csrf" value="([^"]+)"/.exec(pageHtml)?.[1];
    if (!token) return Promise.resolve({ status: -1, text: pageHtml, location: undefined });
    return this.request('POST', action, { _csrf: token, ...fields });
  }
}

function encodeForm(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  }
  return params.toString();
}
