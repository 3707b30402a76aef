import { type EntryState, postImage } from './entry-state.js';

/** One entry's results in the cache (files are read-only cache paths). */
export interface RunItem {
  avatar: string | null;
  id: string;
  number: number;
  error?: string;
  /** The baked pose file. */
  poseFile?: string;
  /** The transparent render. */
  renderFile?: string;
  /** The renderer's `RenderMeta` of that render (JSON). */
  renderMetaFile?: string;
  /** The final image. */
  imageFile?: string;
  /** The final image's sha256, as the cache checked it. */
  imageSha256?: string;
  caption?: string;
}

/** Where an entry's results are, for the caller of `runPipeline` (null avatar: a bake or caption-only run). */
export function runItemOf(avatar: string | null, entry: EntryState): RunItem {
  const image = entry.post ? postImage(entry.post) : undefined;
  return {
    avatar,
    id: entry.shot.id,
    number: entry.shot.number,
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.bake ? { poseFile: entry.bake.files['pose.json'] } : {}),
    ...(entry.render
      ? { renderFile: entry.render.files['render.png'], renderMetaFile: entry.render.files['meta.json'] }
      : {}),
    ...(image ? { imageFile: image.path, imageSha256: image.sha256 } : {}),
    ...(entry.caption ? { caption: entry.caption.value } : {}),
  };
}
