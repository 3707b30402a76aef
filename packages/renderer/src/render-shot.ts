import { type CreateRendererOptions, createRenderer } from './create-renderer.js';
import type { RenderShotRequest, RenderShotResult } from './renderer.js';

/**
 * Renders one shot with a renderer of its own (launch, render, close). For more than one shot, create a
 * renderer with `createRenderer` and reuse it: the browser launch and avatar load are the slow parts.
 */
export async function renderShot(
  request: RenderShotRequest,
  options: CreateRendererOptions & { signal?: AbortSignal } = {},
): Promise<RenderShotResult> {
  const { signal, ...rendererOptions } = options;
  const renderer = await createRenderer({ pages: 1, ...rendererOptions });
  try {
    return await renderer.renderShot(request, signal ? { signal } : {});
  } finally {
    await renderer.close();
  }
}
