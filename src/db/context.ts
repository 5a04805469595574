/**
 * What migrations and seeds need from the configuration: the session secret, from which the keys of
 * sealed values and of PIN hashes are derived (a migration re-keys PIN hashes; seeds make PINs).
 */
export interface DataContext {
  sessionSecret: string;
}
