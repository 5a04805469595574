// pg's helper that turns a parameter into the text it sends PostgreSQL; @types/pg leaves it out.
declare module 'pg/lib/utils.js' {
  export function prepareValue(value: unknown): unknown;
}
