import type { MapKind, PageMapsInput, PageMapsOutput, PageResult } from '../protocol.js';
import { collectWorldVertices } from './avatar-geometry.js';
import { applyCpuMorphs } from './cpu-morphs.js';
import { drawMaps } from './draw-maps.js';
import { type PageState, readyToDraw } from './page-state.js';
import { applyLookAt, poseForShot } from './pose-avatar.js';
import { toBase64 } from './to-base64.js';

/** Conditioning maps of a shot rendered before: the same pose seen from its exact camera (see draw-maps.ts). */
export function renderMaps(state: PageState, input: PageMapsInput): PageResult<{ maps: PageMapsOutput }> {
  const ready = readyToDraw(state);
  if ('ok' in ready) return ready;
  const { renderer, loaded } = ready;
  const { camera, scene } = state;
  const warnings: string[] = [];
  const posed = poseForShot(loaded, input.shot, warnings);
  if ('ok' in posed) return posed;
  camera.position.set(...input.camera.position);
  camera.quaternion.set(...input.camera.quaternion);
  camera.fov = input.camera.fovDegrees;
  camera.aspect = input.shot.width / input.shot.height;
  camera.updateProjectionMatrix();
  camera.updateMatrixWorld(true);
  applyLookAt(loaded, input.shot, camera);
  applyCpuMorphs(loaded.cpuMorphs);
  renderer.setSize(input.shot.width, input.shot.height, false);
  const { maps, depthRange } = drawMaps({
    renderer,
    scene,
    camera,
    vertices: collectWorldVertices(loaded.vrm),
    kinds: input.kinds,
    width: input.shot.width,
    height: input.shot.height,
    beforeDraw: () => applyCpuMorphs(loaded.cpuMorphs),
  });
  const encoded: PageMapsOutput['maps'] = {};
  for (const [kind, rgba] of Object.entries(maps)) encoded[kind as MapKind] = toBase64(rgba);
  return { ok: true, maps: { maps: encoded, depthRange, warnings } };
}
