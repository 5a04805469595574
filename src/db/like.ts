/** The pattern for "starts with" in a LIKE on a lower-cased column, the user's %, _ and \ taken literally. */
export function likePrefix(typed: string): string {
  return `${typed.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The pattern for "contains" in a LIKE, the user's %, _ and \ taken literally (folded by the query). */
export function likeContains(typed: string): string {
  return `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
