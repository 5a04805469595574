/**
 * What migrations and seeds need from the configuration: the session secret, from which the keys of
 * sealed values and of PIN hashes are derived (a migration re-keys PIN hashes; seeds make PINs).
 */
export interface DataContext {
  sessionSecret: string;
}

/** Seeds also print the portal's public address (on the demo's permit). */
export interface SeedContext extends DataContext {
  baseUrl: string;
}
