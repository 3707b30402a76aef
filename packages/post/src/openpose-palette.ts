// ControlNet's OpenPose drawing conventions (lllyasviel/ControlNet annotator/openpose/util.py, carried on in
// huggingface/controlnet_aux open_pose/util.py): the limbs, their colours and sizes. Indices are 0-based here;
// the keypoint order is OpenPose's 18-point COCO body layout.

/** OpenPose's 18 body keypoints, in order. */
export const OPENPOSE_BODY_KEYPOINTS = [
  'nose',
  'neck',
  'right_shoulder',
  'right_elbow',
  'right_wrist',
  'left_shoulder',
  'left_elbow',
  'left_wrist',
  'right_hip',
  'right_knee',
  'right_ankle',
  'left_hip',
  'left_knee',
  'left_ankle',
  'right_eye',
  'left_eye',
  'right_ear',
  'left_ear',
] as const;

/** The 17 limbs ControlNet draws (its limbSeq minus the two ear–shoulder pairs it never draws), 0-based. */
export const OPENPOSE_LIMBS: readonly (readonly [number, number])[] = [
  [1, 2],
  [1, 5],
  [2, 3],
  [3, 4],
  [5, 6],
  [6, 7],
  [1, 8],
  [8, 9],
  [9, 10],
  [1, 11],
  [11, 12],
  [12, 13],
  [1, 0],
  [0, 14],
  [14, 16],
  [0, 15],
  [15, 17],
];

/** RGB colour of limb i and of keypoint i (the same list serves both). */
export const OPENPOSE_COLOURS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [255, 85, 0],
  [255, 170, 0],
  [255, 255, 0],
  [170, 255, 0],
  [85, 255, 0],
  [0, 255, 0],
  [0, 255, 85],
  [0, 255, 170],
  [0, 255, 255],
  [0, 170, 255],
  [0, 85, 255],
  [0, 0, 255],
  [85, 0, 255],
  [170, 0, 255],
  [255, 0, 255],
  [255, 0, 170],
  [255, 0, 85],
];

/** Half-width of a limb ellipse, px. */
export const OPENPOSE_STICK_WIDTH_PX = 4;
/** Limbs are drawn at this fraction of their colour (the annotator scales the limb canvas by 0.6). */
export const OPENPOSE_LIMB_LEVEL = 0.6;
/** Radius of a body or hand joint circle, px. */
export const OPENPOSE_JOINT_RADIUS_PX = 4;
/** Thickness of a hand bone line, px. */
export const OPENPOSE_HAND_LINE_PX = 2;
/** Colour of the hand joints (blue). */
export const OPENPOSE_HAND_JOINT_COLOUR = [0, 0, 255] as const;
/** A face point: a filled circle of this radius (px) in white (controlnet_aux `draw_facepose`). */
export const OPENPOSE_FACE_RADIUS_PX = 3;
export const OPENPOSE_FACE_COLOUR = [255, 255, 255] as const;

/** The 20 hand edges (0 wrist; thumb 1–4, index 5–8, middle 9–12, ring 13–16, little 17–20). */
export const OPENPOSE_HAND_EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [0, 5],
  [5, 6],
  [6, 7],
  [7, 8],
  [0, 9],
  [9, 10],
  [10, 11],
  [11, 12],
  [0, 13],
  [13, 14],
  [14, 15],
  [15, 16],
  [0, 17],
  [17, 18],
  [18, 19],
  [19, 20],
];

/**
 * Colour of hand edge i: the hue i / 20 at full saturation and value (matplotlib's `hsv_to_rgb` × 255), each
 * channel rounded as OpenCV turns a float colour into bytes (to nearest, halves to even).
 */
export function handEdgeColour(index: number): [number, number, number] {
  const h = index / OPENPOSE_HAND_EDGES.length;
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const q = 1 - f;
  const t = f;
  const rgb: [number, number, number][] = [
    [1, t, 0],
    [q, 1, 0],
    [0, 1, t],
    [0, q, 1],
    [t, 0, 1],
    [1, 0, q],
  ];
  const [r, g, b] = rgb[i % 6]!;
  return [roundHalfEven(r * 255), roundHalfEven(g * 255), roundHalfEven(b * 255)];
}

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
