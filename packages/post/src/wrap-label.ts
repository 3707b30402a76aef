/** Wraps text at spaces into at most `maxLines` lines of `maxChars`, ending with `…` when cut. */
export function wrapLabel(text: string, maxChars: number, maxLines: number): string[] {
  const words = text
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .split(' ');
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > maxChars) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, maxChars - 1))}…`;
  return kept;
}
