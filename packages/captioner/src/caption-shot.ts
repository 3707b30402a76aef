/** How far the camera frames the subject (the manifest's `cameraFrame`). */
export type CameraFrame = 'fullShot' | 'cowboyShot' | 'mediumShot' | 'mediumCloseUp' | 'closeUp';

/**
 * The part of a resolved shot (`ResolvedShot` in `@vrm-lora/manifest`) that captions read. Structural, so a
 * full `ResolvedShot` can be passed as is.
 */
export interface CaptionShot {
  /** 1-based entry number. */
  number: number;
  /** Where the entry sits in the manifest, e.g. `dataCollection[7]`; names the entry in errors. */
  jsonPath: string;
  /** The clip the pose comes from. `name` may carry a file extension (`Walking.fbx`). */
  animation: { kind: 'file'; path: string; name: string } | { kind: 'builtin'; name: string };
  /** VRM expression name, or `null` for none. */
  expression: string | null;
  camera: {
    /** Direction from the subject to the camera: +x viewer's right, +y up, +z front. */
    position: readonly [number, number, number];
    frame: CameraFrame;
  };
  /** The manifest's `backgroundDescription` (after defaults). */
  backgroundDescription: string;
  /** The entry's `description`. */
  description: string;
}
