import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import Stripe from 'stripe';

/**
 * A Stripe-compatible server for the load, which cannot reach Stripe: the few calls the portal's Stripe
 * provider makes through the official SDK (create, retrieve and expire a Checkout Session, create a
 * refund), a "hosted page" that pays at once, and Stripe's notifications — signed with the SDK's own
 * helper and sent twice, the second a moment later, while the browser is sent back. The portal runs its
 * real Stripe code against it; only Stripe's servers are missing.
 */
interface Session {
  id: string;
  object: 'checkout.session';
  client_reference_id: string;
  amount_total: number;
  currency: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  payment_intent: string | null;
  success_url: string;
  url: string;
}

export class StripeDouble {
  readonly webhookSecret = `whsec_load_${randomBytes(8).toString('hex')}`;
  private readonly sdk = new Stripe('sk_test_load');
  private readonly sessions = new Map<string, Session>();
  private server?: Server;
  port = 0;
  /** Notifications Stripe would have sent, and how many the portal accepted (200). */
  sent = 0;
  accepted = 0;
  refunds = 0;

  /** Each notification is delivered twice, to each instance in turn when there are several. */
  constructor(private readonly webhookUrls: string[]) {}
  private deliveries = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, location }) => {
          res.writeHead(status, {
            'content-type': 'application/json',
            ...(location ? { location } : {}),
          });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: String(error) } }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string; location?: string }> {
    const url = new URL(req.url ?? '/', this.apiUrl);
    const form = new URLSearchParams(await read(req));
    const json = (value: unknown, status = 200) => ({ status, body: JSON.stringify(value) });
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      const id = `cs_test_${randomBytes(12).toString('hex')}`;
      const session: Session = {
        id,
        object: 'checkout.session',
        client_reference_id: form.get('client_reference_id') ?? '',
        amount_total: Number(form.get('line_items[0][price_data][unit_amount]')),
        currency: form.get('line_items[0][price_data][currency]') ?? 'cad',
        status: 'open',
        payment_status: 'unpaid',
        payment_intent: null,
        success_url: form.get('success_url') ?? '',
        url: `${this.apiUrl}/pay/${id}`,
      };
      this.sessions.set(id, session);
      return json(session);
    }
    const expire = /^\/v1\/checkout\/sessions\/([\w]+)\/expire$/.exec(url.pathname);
    if (req.method === 'POST' && expire) {
      const session = this.sessions.get(expire[1]!);
      if (!session) return json({ error: { message: 'No such session' } }, 404);
      if (session.status === 'open') session.status = 'expired';
      return json(session);
    }
    const retrieve = /^\/v1\/checkout\/sessions\/([\w]+)$/.exec(url.pathname);
    if (req.method === 'GET' && retrieve) {
      const session = this.sessions.get(retrieve[1]!);
      return session ? json(session) : json({ error: { message: 'No such session' } }, 404);
    }
    if (req.method === 'POST' && url.pathname === '/v1/refunds') {
      this.refunds += 1;
      return json({
        id: `re_${randomBytes(8).toString('hex')}`,
        object: 'refund',
        amount: Number(form.get('amount')),
      });
    }
    // The hosted page: the payer pays; Stripe tells the portal (twice) and sends the browser back.
    const pay = /^\/pay\/([\w]+)$/.exec(url.pathname);
    if (req.method === 'GET' && pay) {
      const session = this.sessions.get(pay[1]!);
      if (!session) return json({ error: { message: 'No such session' } }, 404);
      session.status = 'complete';
      session.payment_status = 'paid';
      session.payment_intent = `pi_${session.id.slice(8)}`;
      const event = JSON.stringify({
        id: `evt_${randomBytes(8).toString('hex')}`,
        object: 'event',
        type: 'checkout.session.completed',
        created: Math.floor(Date.now() / 1000),
        data: { object: session },
      });
      void this.notify(event);
      setTimeout(() => void this.notify(event), 500);
      return {
        status: 303,
        body: '',
        location: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id),
      };
    }
    return json({ error: { message: `Unknown ${req.method} ${url.pathname}` } }, 404);
  }

  private async notify(payload: string): Promise<void> {
    this.sent += 1;
    const url = this.webhookUrls[this.deliveries++ % this.webhookUrls.length]!;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': this.sdk.webhooks.generateTestHeaderString({
          payload,
          secret: this.webhookSecret,
        }),
      },
      body: payload,
    }).catch(() => undefined);
    if (res?.status === 200) this.accepted += 1;
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
