// Fixed rules of the conditioning keypoints and maps, shared by the page and Node (no DOM, no three.js).

/**
 * Head-relative offsets (metres, rest frame: the avatar faces +Z, its left is +X) of the keypoints no VRM bone
 * marks, from the head bone, for a head whose eyes sit {@link EYE_HEIGHT_ABOVE_HEAD_METRES} above the head bone
 * (the mannequin's). They scale with the avatar's own eye height when it has eye bones, else with its hips height.
 */
export const HEAD_KEYPOINT_OFFSETS = {
  /** An eye without an eye bone: ±x. */
  eye: [0.033, 0.095, 0.094],
  /** The nose tip, from the eyes' midpoint. */
  noseFromEyes: [0, -0.04, 0.02],
  /** An ear: ±x, from the head bone. */
  ear: [0.082, 0.085, 0.012],
} as const;
/** The mannequin's eye height above its head bone, and its hips height (the references of the scale). */
export const EYE_HEIGHT_ABOVE_HEAD_METRES = 0.095;
export const REFERENCE_HIPS_HEIGHT_METRES = 0.95;
/** A fingertip continues its distal bone by this fraction of the previous segment (no VRM bone marks it). */
export const FINGERTIP_EXTENSION = 0.8;

/**
 * Grey level of the subject's farthest vertex in the depth map, as a fraction of white: the background is black
 * (0), so the far side of the subject stays apart from it. The nearest vertex is white.
 */
export const DEPTH_FAR_LEVEL = 0.1;

/**
 * A face whose eyes are closer than this in the image (measured face-on at the face's distance, pixels) gets no
 * face points (visibility 0): a face detector finds no landmarks on a face that small.
 */
export const MIN_FACE_EYE_DISTANCE_PX = 16;
