// The OpenPose image in ControlNet's palette: limbs at 0.6 of their colour, joints full, hands in 20 hues.
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import {
  drawOpenPose,
  handEdgeColour,
  OPENPOSE_COLOURS,
  OPENPOSE_LIMBS,
  type OpenPoseKeypoint,
} from '../src/index.js';

/** A standing figure, 256×256, every keypoint visible. */
const BODY: OpenPoseKeypoint[] = [
  [128, 40, 2], // nose
  [128, 70, 2], // neck
  [98, 70, 2],
  [80, 110, 2],
  [70, 150, 2],
  [158, 70, 2],
  [176, 110, 2],
  [186, 150, 2],
  [110, 140, 2],
  [108, 190, 2],
  [106, 240, 2],
  [146, 140, 2],
  [148, 190, 2],
  [150, 240, 2],
  [120, 34, 2],
  [136, 34, 2],
  [110, 38, 2],
  [146, 38, 2],
];

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
}

describe('drawOpenPose', () => {
  test('limbs in the standard palette at 0.6, joints in full colour, on black', async () => {
    const at = await pixels(await drawOpenPose({ width: 256, height: 256, body: BODY }));
    expect(at(5, 5)).toEqual([0, 0, 0]);
    expect(at(250, 5)).toEqual([0, 0, 0]);
    // Limbs whose middle is clear of other limbs and joints (the head limbs are too short and crowded).
    for (const i of [0, 1, 2, 3, 4, 5, 7, 8, 10, 11]) {
      const [a, b] = OPENPOSE_LIMBS[i]!;
      const mx = Math.trunc((BODY[a]![0] + BODY[b]![0]) / 2);
      const my = Math.trunc((BODY[a]![1] + BODY[b]![1]) / 2);
      expect(at(mx, my), `limb ${i}`).toEqual(OPENPOSE_COLOURS[i]!.map((c) => Math.floor(c * 0.6)));
    }
    for (const [i, k] of BODY.entries()) {
      if (i === 0 || i >= 14) continue; // the face points overlap each other's circles
      expect(at(k[0], k[1]), `joint ${i}`).toEqual([...OPENPOSE_COLOURS[i]!]);
    }
    // Stick width 4: 4 px beside the upper-arm's axis is limb colour, 7 px beside it is black.
    expect(at(89, 130)).toEqual([0, 0, 0]);
    const elbowToWrist = OPENPOSE_COLOURS[3]!.map((c) => Math.floor(c * 0.6));
    expect(at(75, 130)).toEqual(elbowToWrist);
  });

  test('keypoints not visible (out of frame, facing away) and their limbs are left out', async () => {
    const body = BODY.map((k, i) => (i === 4 ? ([k[0], k[1], 0] as const) : k));
    const at = await pixels(await drawOpenPose({ width: 256, height: 256, body }));
    expect(at(70, 150)).toEqual([0, 0, 0]); // the wrist
    expect(at(75, 130)).toEqual([0, 0, 0]); // elbow → wrist
    expect(at(80, 110)).toEqual([...OPENPOSE_COLOURS[3]!]); // the elbow is still drawn
  });

  test('hands: 2 px bones in 20 hues, blue joints', async () => {
    const hand: OpenPoseKeypoint[] = [[60, 200, 2]];
    for (let f = 0; f < 5; f++) for (let j = 1; j <= 4; j++) hand.push([40 + f * 40, 200 - j * 40, 2]);
    const at = await pixels(await drawOpenPose({ width: 256, height: 256, body: [], rightHand: hand }));
    expect(at(40, 160)).toEqual([0, 0, 255]);
    // The thumb's second bone (edge 1) between (40,160) and (40,120), away from the joints.
    expect(at(40, 140)).toEqual(handEdgeColour(1));
    expect(handEdgeColour(0)).toEqual([255, 0, 0]);
    // h·6 = 0.30000000000000004 in doubles (as numpy computes it): 76.50000000000001 rounds up.
    expect(handEdgeColour(1)).toEqual([255, 77, 0]);
  });

  test('face: white filled circles of radius 3 (draw_facepose), over the hands, hidden points left out', async () => {
    const face: OpenPoseKeypoint[] = Array.from({ length: 70 }, (_, i) => [
      20 + (i % 10) * 20,
      20 + Math.floor(i / 10) * 20,
      2,
    ]);
    face[11] = [40.9, 40.9, 1]; // facing away
    face[12] = [0.5, 60, 2]; // x 0: the annotator's "not found"
    const hand: OpenPoseKeypoint[] = Array.from({ length: 21 }, () => [20.4, 20.7, 2]);
    const png = await drawOpenPose({ width: 256, height: 256, body: [], rightHand: hand, face });
    const at = await pixels(png);
    const white = [255, 255, 255];
    const black = [0, 0, 0];
    // OpenCV's filled circle of radius 3: the centre, ±3 along the axes, not ±4, not the (3, 3) corner.
    for (const [dx, dy] of [
      [0, 0],
      [3, 0],
      [-3, 0],
      [0, 3],
      [0, -3],
      [2, 2],
    ] as const)
      expect(at(60 + dx, 20 + dy)).toEqual(white);
    for (const [dx, dy] of [
      [4, 0],
      [0, -4],
      [3, 3],
    ] as const)
      expect(at(60 + dx, 20 + dy)).toEqual(black);
    expect(at(20, 20), 'drawn after the hand joint it covers').toEqual(white);
    expect(at(20 + 4, 20), 'the hand joint (radius 4) around it').toEqual([0, 0, 255]);
    expect(at(40, 40), 'facing away').toEqual(black);
    expect(at(0, 60), 'at x 0').toEqual(black);
    // Only openpose_full passes the face: without it, nothing white.
    const body = await pixels(await drawOpenPose({ width: 256, height: 256, body: [], rightHand: hand }));
    expect(body(60, 20)).toEqual(black);
    const again = await drawOpenPose({ width: 256, height: 256, body: [], rightHand: hand, face });
    expect(again.equals(png)).toBe(true);
  });

  test('the same keypoints give the same bytes', async () => {
    const a = await drawOpenPose({ width: 200, height: 300, body: BODY });
    const b = await drawOpenPose({ width: 200, height: 300, body: BODY });
    expect(a.equals(b)).toBe(true);
  });
});
