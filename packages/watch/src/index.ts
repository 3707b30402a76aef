export { createFileWatcher, type FileWatcher, type FileWatcherOptions } from './create-file-watcher.js';
export { PREVIEW_CSS, previewHtml, previewScript } from './preview-page.js';
export { isInside, resolveServedFile } from './resolve-served-file.js';
export { type PreviewServer, type PreviewServerOptions, startPreviewServer } from './start-preview-server.js';
export {
  type ManifestWatcher,
  type WatchEvent,
  type WatchManifestOptions,
  watchManifest,
} from './watch-manifest.js';
export type {
  PreviewRenderMeta,
  WatchCycleFigures,
  WatchEntry,
  WatchState,
} from './watch-state.js';
