import { z } from 'zod';
import { RENDER_META_FORMAT, RENDER_META_VERSION } from './formats.js';
import { CAMERA_FRAMES, type PixelBounds } from './framing.js';

export { RENDER_META_FORMAT, RENDER_META_VERSION };

/**
 * Render metadata: written by `@vrm-lora/renderer` beside every rendered shot (one JSON per image).
 * Pixel coordinates: x right, y down, origin at the top-left corner of the image.
 */

const finite = z.number().finite();
const vec3 = z.tuple([finite, finite, finite]);
const keypoint = z.tuple([finite, finite, z.union([z.literal(0), z.literal(1), z.literal(2)])]);

/** Inclusive pixel bounding box of the subject: first/last rows and columns with alpha > 0. */
export const pixelBoundsSchema: z.ZodType<PixelBounds> = z.object({
  left: z.number().int(),
  top: z.number().int(),
  right: z.number().int(),
  bottom: z.number().int(),
});

export const renderMetaSchema = z.object({
  format: z.literal(RENDER_META_FORMAT),
  version: z.literal(RENDER_META_VERSION),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Measured on the alpha channel of the final image. */
  bounds: pixelBoundsSchema,
  /** The shot as requested. */
  request: z.object({
    frame: z.enum(CAMERA_FRAMES),
    /** CharacterStudio direction subject → camera, as given (y not halved). */
    cameraPosition: vec3,
    /** The direction used: y halved. */
    cameraDirection: vec3,
    /** Metres in camera axes (x right, y up, z backward). */
    localOffset: vec3,
    topFrameOffsetPixels: z.number().int(),
    bottomFrameOffsetPixels: z.number().int(),
  }),
  /** The camera used, world metres (avatar faces +Z, y up, feet near y = 0). */
  camera: z.object({
    position: vec3,
    target: vec3,
    up: vec3,
    fovDegrees: finite,
    near: finite,
    far: finite,
  }),
  framing: z.object({
    /** height: top+bottom fitted; width: too wide, fitted left/right and centred vertically; cut: partial shot. */
    mode: z.enum(['height', 'width', 'cut']),
    /** World point on the image's bottom edge in partial shots. */
    cutLineWorld: vec3.nullable(),
    iterations: z.number().int(),
    /** A second render was needed after measuring the alpha (e.g. MToon outlines past the mesh). */
    alphaCorrected: z.boolean(),
  }),
  avatar: z.object({
    key: z.string(),
    specVersion: z.enum(['1.0', '0.x']),
    hipsHeightMetres: finite,
    expressionNames: z.array(z.string()),
    lookAtType: z.enum(['bone', 'expression']).nullable(),
    /** Spring-bone joints (hair, cloth) settled before the shot. */
    springJointCount: z.number().int().nonnegative(),
    /** Meshes whose morph targets (expressions) were blended on the CPU rather than in the vertex shader. */
    cpuMorphMeshes: z.number().int().nonnegative().optional(),
  }),
  expression: z.object({ requested: z.string().nullable(), applied: z.string().nullable() }),
  lookAt: z.object({ mode: z.enum(['camera', 'pose', 'ahead']), yawDegrees: finite, pitchDegrees: finite }),
  /** Image positions of the humanoid bones (pixels) and their depth from the camera (metres). */
  bones: z.record(z.string(), z.object({ x: finite, y: finite, depth: finite })),
  /**
   * OpenPose keypoints in image pixels: `[x, y, visibility]` (COCO: 0 out of frame, 1 facing away, 2 visible).
   * `body` in OpenPose's 18-point order (null where the avatar lacks the bone); hands 21 points each, or null
   * without finger bones; `face` 70 points or null. See docs/conditioning.md.
   */
  keypoints: z
    .object({
      body: z.array(keypoint.nullable()).length(18),
      leftHand: z.array(keypoint).length(21).nullable(),
      rightHand: z.array(keypoint).length(21).nullable(),
      /** OpenPose's 70 face points (68 landmarks, right pupil, left pupil); absent in renders made before them. */
      face: z.array(keypoint).length(70).nullable().optional(),
    })
    .optional(),
  /** The final camera at full precision (conditioning maps are drawn from it). */
  exactCamera: z
    .object({ position: vec3, quaternion: z.tuple([finite, finite, finite, finite]), fovDegrees: finite })
    .optional(),
  warnings: z.array(z.string()),
  /** Milliseconds; not deterministic — leave out of anything hashed. */
  timings: z.record(z.string(), finite),
});

export type RenderMeta = z.infer<typeof renderMetaSchema>;
