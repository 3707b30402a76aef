import type { FileSource } from './dataset-types.js';

/** A keypoint as the renderer reports it: x, y in image pixels (y down), COCO visibility 0/1/2. */
export type EntryKeypoint = readonly [number, number, number];

/** One entry's conditioning: its images by kind (`openpose`, `depth`, …) and its keypoints. */
export interface EntryConditioning {
  /** Conditioning images (PNG) by kind, each the size of the entry's image. */
  images: Readonly<Record<string, FileSource>>;
  /**
   * OpenPose keypoints (18 body points in OpenPose order; 21 per hand or null; the face's 70 points or null /
   * absent) and the subject's pixel box.
   */
  keypoints?: {
    body: readonly (EntryKeypoint | null)[];
    leftHand: readonly EntryKeypoint[] | null;
    rightHand: readonly EntryKeypoint[] | null;
    face?: readonly EntryKeypoint[] | null;
    /** Inclusive subject bounds in pixels. */
    bounds: { left: number; top: number; right: number; bottom: number };
  };
}
