import { sql, type Kysely } from 'kysely';

/**
 * Splits a migration script into statements at top-level semicolons (outside quotes and
 * $$-bodies) and runs them one by one: the extended query protocol (pg parameters, PGlite)
 * accepts a single statement per query.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote) {
      if (script.startsWith(quote, i)) {
        current += quote;
        i += quote.length - 1;
        quote = null;
      } else current += ch;
      continue;
    }
    if (ch === "'") quote = "'";
    else if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0];
      if (tag) {
        quote = tag;
        current += tag;
        i += tag.length - 1;
        continue;
      }
    } else if (ch === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      current += '\n';
      continue;
    } else if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitStatements(script)) await sql.raw(statement).execute(db);
}
