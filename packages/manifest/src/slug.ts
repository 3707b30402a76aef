/**
 * The slug rule shared by entry ids and dataset file names: lower case, every run of characters other than
 * ASCII letters and digits becomes one `-`, none at either end. Callers fold accents or cut the length first/after.
 */
export function slugWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
