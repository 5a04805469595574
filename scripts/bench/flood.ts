import autocannon from 'autocannon';
import { cookiesFrom } from '../portal-process';

/**
 * npm run bench's sign-in flood: 200 connections posting a wrong password for an unknown address, each
 * request from its own address (the portal trusts X-Forwarded-For from loopback), so the per-address
 * limits do not stop it and each request costs a password hash. Prints {perSecond, p99} as JSON.
 */
const [origin, seconds] = process.argv.slice(2) as [string, string];
const page = await fetch(`${origin}/fr/connexion`, { headers: { 'x-forwarded-proto': 'https' } });
// The visitor's cookie: its form token.
const cookie = cookiesFrom(page);
const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
let n = 0;
const result = await autocannon({
  url: `${origin}/fr/connexion`,
  connections: 200,
  duration: Number(seconds),
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        n += 1;
        return {
          ...request,
          headers: {
            'x-forwarded-proto': 'https',
            'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
            'content-type': 'application/x-www-form-urlencoded',
            cookie,
          },
          body: new URLSearchParams({
            _csrf: token,
            email: `flood.${n}@example.test`,
            password: 'not the password at all',
          }).toString(),
        };
      },
    },
  ],
});
console.log(JSON.stringify({ perSecond: Math.round(result.requests.average), p99: result.latency.p99 }));
