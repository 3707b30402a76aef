import type { RenderShotRequest, RuntimeFacts } from './create-renderer.js';

/** Bumped whenever a change in this package can change pixels or metadata of a shot. */
export const RENDERER_VERSION = '1';

/**
 * Everything a rendered shot depends on, as plain JSON for the pipeline to hash (the pipeline owns the
 * canonical hashing). The avatar enters by its key (a content hash), never by its bytes.
 */
export function describeRenderKey(request: RenderShotRequest, facts: RuntimeFacts) {
  return {
    stage: 'render',
    rendererVersion: RENDERER_VERSION,
    avatarKey: request.avatar.key,
    pose: request.pose,
    expression: request.expression,
    lookAtCamera: request.lookAtCamera,
    camera: request.camera,
    width: request.width,
    height: request.height,
    topFrameOffsetPixels: request.topFrameOffsetPixels,
    bottomFrameOffsetPixels: request.bottomFrameOffsetPixels,
    strict: request.strict ?? false,
    runtime: {
      chromiumVersion: facts.chromiumVersion,
      glBackend: facts.glBackend,
      glRenderer: facts.glRenderer,
      pageBundleSha256: facts.pageBundleSha256,
      threeVersion: facts.threeVersion,
      threeVrmVersion: facts.threeVrmVersion,
      renderParameters: facts.renderParameters,
    },
  };
}
