import {
  CAMERA_FRAMES,
  cameraDirectionProblem,
  cameraDirectionUsed,
  isCameraFrame,
  MAX_IMAGE_SIDE_PIXELS,
  RENDERER_SHOT_LIMITS,
  type ShotSizeProblem,
  shotSizeProblems,
} from '@vrm-lora/manifest/formats';
import type { PageShotInput } from './protocol.js';
import { RenderError } from './render-error.js';
import type { RenderParameters } from './render-parameters.js';
import type { RenderShotRequest } from './renderer.js';

/**
 * Checks a request and turns it into the page's input (y of the direction halved: `cameraDirectionUsed`). The rules
 * are the manifest's (`@vrm-lora/manifest/formats`), under the renderer's limits: the renderer stays safe to call
 * without a manifest.
 */
export function validateRequest(request: RenderShotRequest, parameters: RenderParameters): PageShotInput {
  const problems = shotSizeProblems(request, RENDERER_SHOT_LIMITS).map(describeSizeProblem);
  const { width, height } = request;
  const top = request.topFrameOffsetPixels;
  const bottom = request.bottomFrameOffsetPixels;
  if (!isCameraFrame(request.camera.frame)) {
    problems.push(`camera.frame "${request.camera.frame}" must be one of ${CAMERA_FRAMES.join(', ')}`);
  }
  const direction = cameraDirectionProblem(request.camera.position);
  if (direction === 'not-finite') problems.push('camera.position must be three finite numbers');
  else if (direction === 'zero') {
    throw new RenderError(
      'invalid-camera',
      'cameraPosition [0, 0, 0] has no direction: give a non-zero vector such as [0, 0, 1] or a name such as "front"',
    );
  }
  if (!request.camera.localOffset.every(Number.isFinite))
    problems.push('camera.localOffset must be three finite numbers');
  if (!(request.avatar.bytes instanceof Uint8Array) || request.avatar.bytes.length < 12) {
    problems.push('avatar.bytes must hold a VRM file');
  }
  if (problems.length)
    throw new RenderError('invalid-request', `invalid shot request: ${problems.join('; ')}`);
  return {
    pose: request.pose,
    expression: request.expression,
    strict: request.strict ?? false,
    lookAtCamera: request.lookAtCamera,
    cameraDirection: cameraDirectionUsed(request.camera.position),
    frame: request.camera.frame,
    localOffsetMetres: request.camera.localOffset,
    width,
    height,
    topFrameOffsetPixels: top,
    bottomFrameOffsetPixels: bottom,
    fovDegrees: parameters.fovDegrees,
    springSteps: parameters.springSteps,
    springStepSeconds: parameters.springStepSeconds,
    lighting: parameters.lighting,
    rasterRegion: parameters.rasterRegion,
  };
}

/** The renderer's wording of a broken size rule. */
function describeSizeProblem(problem: ShotSizeProblem): string {
  switch (problem.rule) {
    case 'side':
      return `${problem.field} ${problem.value} must be an integer ${problem.minSidePixels}–${MAX_IMAGE_SIDE_PIXELS}`;
    case 'offset':
      return `${problem.field} ${problem.value} must be a whole number ≥ 0`;
    case 'room':
      return `topFrameOffsetPixels + bottomFrameOffsetPixels (${problem.topFrameOffsetPixels + problem.bottomFrameOffsetPixels}) leaves no room in height ${problem.height}`;
  }
}
