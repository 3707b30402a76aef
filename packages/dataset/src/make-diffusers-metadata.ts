/** One image of diffusers' `metadata.jsonl`. */
export interface DiffusersMetadataEntry {
  /** File name relative to the folder of `metadata.jsonl`. */
  fileName: string;
  /** Caption lines; the first is the main caption. */
  lines: readonly string[];
}

/**
 * Hugging Face `datasets` imagefolder metadata, as diffusers' `train_text_to_image_lora*.py --train_data_dir`
 * loads it: one `{"file_name", "text"}` object per line, `file_name` relative to the file's folder (so the folder
 * moves with it). With caption variants every `text` is a list (diffusers' `tokenize_captions` picks one at random
 * per step); a column must have one type, so then every entry is a list.
 */
export function makeDiffusersMetadata(entries: readonly DiffusersMetadataEntry[]): string {
  const lists = entries.some((entry) => entry.lines.length > 1);
  const lines = entries.map((entry) =>
    JSON.stringify({ file_name: entry.fileName, text: lists ? [...entry.lines] : (entry.lines[0] ?? '') }),
  );
  return `${lines.join('\n')}\n`;
}
