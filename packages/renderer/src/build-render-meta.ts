import type { RenderMeta } from '@vrm-lora/manifest';
import { RENDER_META_FORMAT, RENDER_META_VERSION } from '@vrm-lora/manifest/formats';
import type { PageAvatarInfo, PageShotInput, PageShotOutput } from './protocol.js';
import type { RenderShotRequest } from './renderer.js';

/** What {@link buildRenderMeta} assembles: the request, what the page was sent and what it answered. */
export interface RenderMetaParts {
  request: RenderShotRequest;
  /** The page's input (its camera direction is the one used, y halved). */
  input: PageShotInput;
  shot: PageShotOutput;
  avatarInfo: PageAvatarInfo;
  /** Node's side of the timings: the page call as Node saw it, the PNG encoding, the whole shot. */
  nodeTimings: { pageMs: number; pngMs: number; totalMs: number };
}

/** The render's `meta.json` (format {@link RENDER_META_FORMAT}). */
export function buildRenderMeta({
  request,
  input,
  shot,
  avatarInfo,
  nodeTimings,
}: RenderMetaParts): RenderMeta {
  return {
    format: RENDER_META_FORMAT,
    version: RENDER_META_VERSION,
    width: request.width,
    height: request.height,
    bounds: shot.bounds,
    request: {
      frame: request.camera.frame,
      cameraPosition: request.camera.position,
      cameraDirection: input.cameraDirection,
      localOffset: request.camera.localOffset,
      topFrameOffsetPixels: request.topFrameOffsetPixels,
      bottomFrameOffsetPixels: request.bottomFrameOffsetPixels,
    },
    camera: shot.camera,
    framing: shot.framing,
    avatar: {
      key: request.avatar.key,
      specVersion: avatarInfo.specVersion,
      hipsHeightMetres: avatarInfo.hipsHeightMetres,
      expressionNames: avatarInfo.expressionNames,
      lookAtType: avatarInfo.lookAtType,
      springJointCount: avatarInfo.springJointCount,
      cpuMorphMeshes: avatarInfo.cpuMorphMeshes,
    },
    expression: shot.expression,
    lookAt: shot.lookAt,
    bones: shot.bones,
    keypoints: shot.keypoints,
    exactCamera: shot.exactCamera,
    warnings: shot.warnings,
    timings: {
      ...shot.timings,
      transferMs: nodeTimings.pageMs - shot.timings.pageTotalMs,
      pngMs: nodeTimings.pngMs,
      totalMs: nodeTimings.totalMs,
    },
  };
}
