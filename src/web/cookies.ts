/**
 * The portal's own cookies (the session, a visitor's form token): named and set alike. In production
 * the __Host- prefix makes the browser take one only from this host, over HTTPS, for path /, so no other
 * site or subdomain can plant one; none is readable by scripts or sent along by other sites' forms.
 */
export function portalCookie(name: string, production: boolean) {
  return {
    name: production ? `__Host-portal.${name}` : `portal.${name}`,
    options: { httpOnly: true, sameSite: 'lax', secure: production, path: '/' } as const,
  };
}
