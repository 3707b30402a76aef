/** Something with the fields `--only` selects on. */
export interface Selectable {
  number: number;
  id: string;
  description: string;
}

/**
 * Parses `--only`: entry numbers and ranges (`3,7-9`, 1-based as in file names), entry ids
 * (`walking-e96748457e,salute-0a1b2c3d4e`, as in report.json), or else a case-insensitive substring of the
 * description. Returns an error text for a bad
 * range (e.g. `9-7`).
 */
export function selectEntries<T extends Selectable>(items: T[], only: string | undefined): T[] | string {
  if (only === undefined || only.trim() === '') return items;
  const text = only.trim();
  if (/^[\d\s,-]+$/.test(text)) {
    const wanted = new Set<number>();
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
      if (!m) return `--only: cannot read "${part}"; use numbers and ranges such as 3,7-9`;
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from) return `--only: range "${part}" runs backwards; write ${to}-${from}`;
      for (let n = from; n <= to; n++) wanted.add(n);
    }
    const missing = [...wanted].filter((n) => !items.some((i) => i.number === n));
    if (missing.length > 0) {
      return `--only: no entry number ${missing.join(', ')} (the manifest has entries 1-${items.length})`;
    }
    return items.filter((i) => wanted.has(i.number));
  }
  const ids = text.split(',').map((t) => t.trim());
  const byId = items.filter((i) => ids.includes(i.id));
  if (byId.length > 0 && byId.length === new Set(ids).size) return byId;
  const needle = text.toLowerCase();
  const found = items.filter((i) => i.description.toLowerCase().includes(needle));
  return found.length > 0 ? found : `--only: no entry's description contains "${text}"`;
}
