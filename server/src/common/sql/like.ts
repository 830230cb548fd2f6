/**
 * A LIKE pattern that matches `text` literally anywhere in a column. `!` is the escape character:
 * a backslash would mean different things to MySQL and SQLite. Use with `LIKE :p ESCAPE '!'`.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export const LIKE_ESCAPE = "ESCAPE '!'";
