import { cameraDirectionUsed } from '@vrm-lora/manifest/formats';
import { CAMERA_FRAMES, type PageShotInput } from './protocol.js';
import { RenderError } from './render-error.js';
import type { RenderParameters } from './render-parameters.js';
import type { RenderShotRequest } from './renderer.js';

/** Checks a request and turns it into the page's input (y of the direction halved: `cameraDirectionUsed`). */
export function validateRequest(request: RenderShotRequest, parameters: RenderParameters): PageShotInput {
  const problems: string[] = [];
  const { width, height } = request;
  if (!Number.isInteger(width) || width < 8 || width > 8192)
    problems.push(`width ${width} must be an integer 8–8192`);
  if (!Number.isInteger(height) || height < 8 || height > 8192) {
    problems.push(`height ${height} must be an integer 8–8192`);
  }
  const top = request.topFrameOffsetPixels;
  const bottom = request.bottomFrameOffsetPixels;
  if (!Number.isInteger(top) || top < 0)
    problems.push(`topFrameOffsetPixels ${top} must be a whole number ≥ 0`);
  if (!Number.isInteger(bottom) || bottom < 0) {
    problems.push(`bottomFrameOffsetPixels ${bottom} must be a whole number ≥ 0`);
  }
  if (Number.isFinite(top) && Number.isFinite(bottom) && top + bottom > height - 8) {
    problems.push(
      `topFrameOffsetPixels + bottomFrameOffsetPixels (${top + bottom}) leaves no room in height ${height}`,
    );
  }
  if (!CAMERA_FRAMES.includes(request.camera.frame)) {
    problems.push(`camera.frame "${request.camera.frame}" must be one of ${CAMERA_FRAMES.join(', ')}`);
  }
  const [x, y, z] = request.camera.position;
  if (![x, y, z].every(Number.isFinite)) problems.push('camera.position must be three finite numbers');
  else if (x === 0 && y === 0 && z === 0) {
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
