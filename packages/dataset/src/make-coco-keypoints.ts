import type { EntryKeypoint } from './conditioning-types.js';

/** COCO's 17 person keypoints, in COCO order. */
export const COCO_KEYPOINT_NAMES = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

/** Where each COCO keypoint is in OpenPose's 18-point body order (OpenPose adds the neck, index 1). */
export const COCO_FROM_OPENPOSE = [0, 15, 14, 17, 16, 5, 2, 6, 3, 7, 4, 11, 8, 12, 9, 13, 10] as const;

/** COCO's person skeleton (1-based keypoint pairs). */
const COCO_SKELETON = [
  [16, 14],
  [14, 12],
  [17, 15],
  [15, 13],
  [12, 13],
  [6, 12],
  [7, 13],
  [6, 7],
  [6, 8],
  [7, 9],
  [8, 10],
  [9, 11],
  [2, 3],
  [1, 2],
  [1, 3],
  [2, 4],
  [3, 5],
  [4, 6],
  [5, 7],
];

/** One image of the keypoints file. */
export interface CocoKeypointsImage {
  /** The image's path relative to the output folder. */
  fileName: string;
  width: number;
  height: number;
  body: readonly (EntryKeypoint | null)[];
  leftHand: readonly EntryKeypoint[] | null;
  rightHand: readonly EntryKeypoint[] | null;
  /** OpenPose's 70 face points (68 landmarks, then the pupils), or null / absent. */
  face?: readonly EntryKeypoint[] | null;
  bounds: { left: number; top: number; right: number; bottom: number };
}

/** `[x, y, v, …]` with COCO's convention that an unlabelled point (v = 0) sits at 0, 0. */
function flatten(points: readonly (EntryKeypoint | null | undefined)[]): number[] {
  return points.flatMap((k) => (k && k[2] > 0 ? [k[0], k[1], k[2]] : [0, 0, 0]));
}

/** COCO-WholeBody's face fields: the 68 landmarks (not the pupils), valid when any is labelled. */
function faceFields(face: readonly EntryKeypoint[]) {
  const face_kpts = flatten(face.slice(0, 68));
  return { face_kpts, face_valid: face_kpts.some((n, k) => k % 3 === 2 && n > 0) };
}

/**
 * The dataset's keypoints in the COCO keypoints format: one image and one `person` annotation per entry, its
 * 17 keypoints as `[x, y, v]` triplets (v 2 visible, 1 facing away from the camera, 0 out of frame or absent)
 * in the image's pixels, `bbox` the subject's pixel box. Hands, when the avatar has finger bones, follow
 * COCO-WholeBody: `lefthand_kpts` / `righthand_kpts`, 21 OpenPose hand points each; the face's 68 landmarks
 * `face_kpts` (and `face_valid`), without OpenPose's two pupils, which COCO-WholeBody has not. Returns the JSON text.
 */
export function makeCocoKeypoints(images: readonly CocoKeypointsImage[]): string {
  const annotations = images.map((image, i) => {
    const keypoints = flatten(COCO_FROM_OPENPOSE.map((j) => image.body[j]));
    const { left, top, right, bottom } = image.bounds;
    const width = right - left + 1;
    const height = bottom - top + 1;
    return {
      id: i + 1,
      image_id: i + 1,
      category_id: 1,
      iscrowd: 0,
      bbox: [left, top, width, height],
      area: width * height,
      num_keypoints: keypoints.filter((_, k) => k % 3 === 2 && keypoints[k]! > 0).length,
      keypoints,
      ...(image.leftHand ? { lefthand_kpts: flatten(image.leftHand), lefthand_valid: true } : {}),
      ...(image.rightHand ? { righthand_kpts: flatten(image.rightHand), righthand_valid: true } : {}),
      ...(image.face ? faceFields(image.face) : {}),
    };
  });
  const coco = {
    info: { description: 'vrm-lora keypoints (COCO keypoints format)', version: '1.0' },
    images: images.map((image, i) => ({
      id: i + 1,
      file_name: image.fileName,
      width: image.width,
      height: image.height,
    })),
    annotations,
    categories: [
      {
        id: 1,
        name: 'person',
        supercategory: 'person',
        keypoints: [...COCO_KEYPOINT_NAMES],
        skeleton: COCO_SKELETON,
      },
    ],
  };
  return `${JSON.stringify(coco)}\n`;
}
