/**
 * The pipeline, imported on first use: `validate`, `schema`, `--help` and friends start without loading
 * three.js, Playwright or sharp.
 */
export function loadPipeline(): Promise<typeof import('@vrm-lora/pipeline')> {
  return import('@vrm-lora/pipeline');
}
