/**
 * How the API compares and orders text, without zod (the web app's bundle imports it): tag names
 * ignoring case, and code point order, which is what PostgreSQL's "C" collation gives UTF-8 text.
 */

/** Tag names that differ only in case are one tag: the first spelling is kept. */
export function uniqueTags(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Tags in the order the API returns them: by name, ignoring case (code point order, as the database's `lower(name) collate "C"`). */
export function sortTags(names: readonly string[]): string[] {
  return [...names].sort((a, b) => compareText(a.toLowerCase(), b.toLowerCase()));
}

/** Code point order (what PostgreSQL's "C" collation gives UTF-8 text). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
  }
  return left.length - right.length;
}
