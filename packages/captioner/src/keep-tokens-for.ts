/**
 * sd-scripts `keep_tokens` that keeps the trigger in place when captions are shuffled: sd-scripts splits a
 * caption at commas and keeps the first N pieces; this returns the largest (index of the first piece that
 * contains the trigger as a word) + 1 over all captions, or 0 when no caption contains it.
 */
export function keepTokensFor(captions: readonly string[], trigger: string): number {
  const wanted = trigger.trim().toLowerCase().split(/\s+/).join(' ');
  if (wanted === '') return 0;
  let keep = 0;
  for (const caption of captions) {
    const pieces = caption.split(',');
    const at = pieces.findIndex((piece) => hasWord(piece, wanted));
    if (at >= 0) keep = Math.max(keep, at + 1);
  }
  return keep;
}

function hasWord(piece: string, wanted: string): boolean {
  const words = piece.trim().toLowerCase().split(/\s+/);
  const wantedWords = wanted.split(/\s+/);
  for (let i = 0; i + wantedWords.length <= words.length; i++) {
    if (wantedWords.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}
