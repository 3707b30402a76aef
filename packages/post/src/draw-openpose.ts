import { createRequire } from 'node:module';
import sharp from 'sharp';
import {
  handEdgeColour,
  OPENPOSE_COLOURS,
  OPENPOSE_FACE_COLOUR,
  OPENPOSE_FACE_RADIUS_PX,
  OPENPOSE_HAND_EDGES,
  OPENPOSE_HAND_JOINT_COLOUR,
  OPENPOSE_HAND_LINE_PX,
  OPENPOSE_JOINT_RADIUS_PX,
  OPENPOSE_LIMB_LEVEL,
  OPENPOSE_LIMBS,
  OPENPOSE_STICK_WIDTH_PX,
} from './openpose-palette.js';
import { PNG_OPTIONS } from './png-options.js';

/** A keypoint: x, y in image pixels (y down) and COCO visibility (only 2 is drawn). */
export type OpenPoseKeypoint = readonly [number, number, number];

/** What {@link drawOpenPose} draws: 18 body points (null: no such joint) and, optionally, 21 points per hand. */
export interface DrawOpenPoseInput {
  width: number;
  height: number;
  body: readonly (OpenPoseKeypoint | null)[];
  /** Hands are drawn when given (the `openpose_full` variant). */
  leftHand?: readonly OpenPoseKeypoint[] | null;
  rightHand?: readonly OpenPoseKeypoint[] | null;
  /** The face's 70 points, drawn when given (`openpose_full`): white dots as `draw_facepose`. */
  face?: readonly OpenPoseKeypoint[] | null;
}

// biome-ignore lint/suspicious/noExplicitAny: opencv.js ships no usable types for its Emscripten module
type Cv = any;
const OPENCV_LOAD_TIMEOUT_MS = 60_000;
let cvModule: Promise<{ cv: Cv }> | null = null;

/**
 * OpenCV compiled to WebAssembly (@techstark/opencv-js), loaded once on first use (~0.3 s). The Emscripten module
 * is thenable, so it always travels wrapped: resolving a promise with it (returning it from an async function)
 * would adopt its own `then`, which never settles.
 */
function loadOpenCv(): Promise<{ cv: Cv }> {
  cvModule ??= (async () => {
    // CommonJS, required directly: a dynamic import() would hand the thenable module to promise machinery.
    const require = createRequire(import.meta.url);
    const cv: Cv = require('@techstark/opencv-js');
    // Its WebAssembly compiles asynchronously after the import; `Mat` appears when it is ready.
    const started = Date.now();
    while (!cv.Mat) {
      if (Date.now() - started > OPENCV_LOAD_TIMEOUT_MS)
        throw new Error('OpenCV (opencv.js) did not start within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { cv };
  })();
  return cvModule;
}

const drawn = (k: OpenPoseKeypoint | null | undefined): k is OpenPoseKeypoint => !!k && k[2] === 2;

/**
 * Draws an OpenPose image exactly as ControlNet's openpose annotator does (controlnet_aux `draw_bodypose`,
 * `draw_handpose`), with OpenCV's own rasteriser: each of the 17 limbs an ellipse polygon (`ellipse2Poly`, half
 * axes length/2 × 4 px, integer centre and angle) filled convex in its colour, the limb canvas scaled by 0.6,
 * then each joint a filled circle of radius 4 in its full colour; hands as 2 px lines in 20 hues with blue joints;
 * the face's points as white filled circles of radius 3 (`draw_facepose`), after the hands.
 * On black, RGB, the image's size. Keypoints with visibility other than 2 (out of frame, facing away) are left
 * out, as the detector would not find them. Returns a PNG.
 */
export async function drawOpenPose(input: DrawOpenPoseInput): Promise<Buffer> {
  const { cv } = await loadOpenCv();
  const { width, height } = input;
  const canvas = new cv.Mat(height, width, cv.CV_8UC3, new cv.Scalar(0, 0, 0));
  try {
    drawBody(cv, canvas, input.body);
    for (const hand of [input.leftHand, input.rightHand]) if (hand) drawHand(cv, canvas, hand);
    if (input.face) drawFace(cv, canvas, input.face);
    const rgb = Buffer.from(canvas.data as Uint8Array);
    return await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png(PNG_OPTIONS)
      .toBuffer();
  } finally {
    canvas.delete();
  }
}

function drawBody(cv: Cv, canvas: Cv, body: readonly (OpenPoseKeypoint | null)[]): void {
  for (const [i, [a, b]] of OPENPOSE_LIMBS.entries()) {
    const k1 = body[a];
    const k2 = body[b];
    if (!drawn(k1) || !drawn(k2)) continue;
    // The annotator's names: X holds the y coordinates, Y the x coordinates.
    const meanX = (k1[1] + k2[1]) / 2;
    const meanY = (k1[0] + k2[0]) / 2;
    const length = Math.hypot(k1[1] - k2[1], k1[0] - k2[0]);
    const angle = (Math.atan2(k1[1] - k2[1], k1[0] - k2[0]) * 180) / Math.PI;
    const points = new cv.PointVector();
    try {
      cv.ellipse2Poly(
        new cv.Point(Math.trunc(meanY), Math.trunc(meanX)),
        new cv.Size(Math.trunc(length / 2), OPENPOSE_STICK_WIDTH_PX),
        Math.trunc(angle),
        0,
        360,
        1,
        points,
      );
      const flat: number[] = [];
      for (let p = 0; p < points.size(); p++) {
        const point = points.get(p);
        flat.push(point.x, point.y);
      }
      const polygon = cv.matFromArray(flat.length / 2, 1, cv.CV_32SC2, flat);
      const [r, g, bl] = OPENPOSE_COLOURS[i]!;
      cv.fillConvexPoly(canvas, polygon, new cv.Scalar(r, g, bl));
      polygon.delete();
    } finally {
      points.delete();
    }
  }
  const data = canvas.data as Uint8Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(data[i]! * OPENPOSE_LIMB_LEVEL);
  for (const [i, k] of body.entries()) {
    if (!drawn(k) || i >= OPENPOSE_COLOURS.length) continue;
    const [r, g, b] = OPENPOSE_COLOURS[i]!;
    cv.circle(
      canvas,
      new cv.Point(Math.trunc(k[0]), Math.trunc(k[1])),
      OPENPOSE_JOINT_RADIUS_PX,
      new cv.Scalar(r, g, b),
      -1,
    );
  }
}

function drawHand(cv: Cv, canvas: Cv, hand: readonly OpenPoseKeypoint[]): void {
  // The annotator skips points at x or y 0 (its "not found"); ours are left out by visibility as well.
  const at = (k: OpenPoseKeypoint | undefined) =>
    drawn(k) && Math.trunc(k[0]) >= 1 && Math.trunc(k[1]) >= 1
      ? new cv.Point(Math.trunc(k[0]), Math.trunc(k[1]))
      : null;
  for (const [i, [a, b]] of OPENPOSE_HAND_EDGES.entries()) {
    const p1 = at(hand[a]);
    const p2 = at(hand[b]);
    if (!p1 || !p2) continue;
    const [r, g, bl] = handEdgeColour(i);
    cv.line(canvas, p1, p2, new cv.Scalar(r, g, bl), OPENPOSE_HAND_LINE_PX);
  }
  const [r, g, b] = OPENPOSE_HAND_JOINT_COLOUR;
  for (const k of hand) {
    const p = at(k);
    if (p) cv.circle(canvas, p, OPENPOSE_JOINT_RADIUS_PX, new cv.Scalar(r, g, b), -1);
  }
}

/** controlnet_aux `draw_facepose`: each point a white filled circle of radius 3, skipped at x or y 0. */
function drawFace(cv: Cv, canvas: Cv, face: readonly OpenPoseKeypoint[]): void {
  const [r, g, b] = OPENPOSE_FACE_COLOUR;
  for (const k of face) {
    if (!drawn(k) || Math.trunc(k[0]) < 1 || Math.trunc(k[1]) < 1) continue;
    const at = new cv.Point(Math.trunc(k[0]), Math.trunc(k[1]));
    cv.circle(canvas, at, OPENPOSE_FACE_RADIUS_PX, new cv.Scalar(r, g, b), -1);
  }
}

/** The version of opencv.js that draws OpenPose images (part of their cache key). */
export function openCvJsVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@techstark/opencv-js/package.json') as { version: string }).version;
}
