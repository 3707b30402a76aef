import type { Report } from '@vrm-lora/manifest';
import type { RenderSetup } from './run-render-stage.js';

/**
 * What rendered this run, for report.json: the GL backend and the WebGL renderer string of the renderer
 * when it started; when no browser was needed, the backend the cache keys name (its renderer string only
 * where a GPU was checked before, else null). `browserStarted`: whether a browser rendered for this run (its own,
 * started now, or a shared one already open).
 */
export async function describeRenderer(
  render: RenderSetup,
  browserStarted: boolean,
): Promise<NonNullable<Report['renderer']>> {
  const facts = await render.renderer.facts();
  return {
    glBackend: facts?.glBackend ?? render.runtime.glBackend,
    glRenderer: facts?.glRenderer ?? (render.runtime.glDevice || null),
    glBackendReason: facts?.glBackendReason ?? render.runtime.glBackendReason,
    browserStarted,
  };
}
