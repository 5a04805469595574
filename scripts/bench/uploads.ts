import { randomBytes } from 'node:crypto';

/**
 * npm run bench's uploads: 10 browsers each uploading a 20 MB PDF to the bench user's application, one
 * after another, for the given seconds (each file's last bytes differ, so none is stored twice). Prints
 * {uploads, perSecond, p99, failed} as JSON.
 */
const [origin, cookie, documentsPath, seconds] = process.argv.slice(2) as [string, string, string, string];
const headers = { 'x-forwarded-proto': 'https', cookie };
const page = await fetch(origin + documentsPath, { headers });
const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
if (!token) throw new Error(`no upload form on ${documentsPath} (${page.status})`);
const body = Buffer.alloc(20 * 1024 * 1024, 0x20);
body.write('%PDF-1.4\n', 0, 'latin1');

const until = Date.now() + Number(seconds) * 1000;
const times: number[] = [];
let failed = 0;
async function browser(): Promise<void> {
  while (Date.now() < until) {
    randomBytes(16).copy(body, body.length - 16);
    const form = new FormData();
    form.append('_csrf', token!);
    form.append('files', new Blob([body], { type: 'application/pdf' }), 'plan.pdf');
    const started = performance.now();
    const res = await fetch(origin + documentsPath, {
      method: 'POST',
      headers,
      body: form,
      redirect: 'manual',
    });
    await res.arrayBuffer();
    times.push(performance.now() - started);
    if (res.status !== 303) failed += 1;
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: 10 }, browser));
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    uploads: times.length,
    perSecond: Math.round((times.length / ((Date.now() - started) / 1000)) * 10) / 10,
    p99: Math.round(times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? 0),
    failed,
  }),
);
