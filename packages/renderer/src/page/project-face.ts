// The 70 face points of a shot (68 landmarks and 2 pupils), from the posed vertices the framing measured.
import * as THREE from 'three';
import { MIN_FACE_EYE_DISTANCE_PX } from '../conditioning-rules.js';
import type { ProjectedKeypoint } from '../protocol.js';
import type { FaceRig } from './face-rig.js';

/** Projects a world point to image pixels, as `makeProjector` in project-keypoints.ts does. */
type Project = (p: THREE.Vector3 | null, facing?: boolean) => ProjectedKeypoint | null;

/**
 * OpenPose's 70 face points: each landmark at its vertex's posed position (`vertices`, world xyz triplets of
 * `collectWorldVertices`, skinned with the shot's pose and expression), the pupils carried by the eye bones.
 * `facing` is the face's facing test (from behind: visibility 1). A face seen smaller than
 * {@link MIN_FACE_EYE_DISTANCE_PX} between the eyes (face-on at its distance) gets visibility 0 throughout, as a
 * detector would not find it. Null without a rig or when the vertices are not the rig's.
 */
export function projectFace(
  rig: FaceRig | null,
  vertices: Float32Array | null,
  camera: THREE.PerspectiveCamera,
  height: number,
  facing: boolean,
  project: Project,
): ProjectedKeypoint[] | null {
  if (!rig || !vertices || vertices.length !== rig.vertexCount * 3) return null;
  const points: (THREE.Vector3 | null)[] = Array.from(rig.landmarks, (i) =>
    i < 0 ? null : new THREE.Vector3().fromArray(vertices, i * 3),
  );
  for (const pupil of rig.pupils ?? [null, null])
    points.push(pupil ? pupil.node.localToWorld(pupil.local.clone()) : null);
  const nose = points[30] ?? points[27];
  const depth = nose ? -nose.clone().applyMatrix4(camera.matrixWorldInverse).z : 0;
  const focalPx = height / 2 / Math.tan((camera.fov * Math.PI) / 360);
  const eyeDistancePx = depth > 0 ? (rig.eyeDistanceMetres * focalPx) / depth : 0;
  const large = eyeDistancePx >= MIN_FACE_EYE_DISTANCE_PX;
  return points.map((p) => {
    const k = project(p, facing);
    if (!k) return [0, 0, 0];
    return large ? k : [k[0], k[1], 0];
  });
}
