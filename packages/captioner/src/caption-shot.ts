import type { ResolvedShot } from '@vrm-lora/manifest';

/**
 * The part of a resolved shot (`ResolvedShot` in `@vrm-lora/manifest`) that captions read; a full `ResolvedShot`
 * can be passed as is.
 */
export interface CaptionShot
  extends Pick<
    ResolvedShot,
    'number' | 'jsonPath' | 'animation' | 'expression' | 'backgroundDescription' | 'description'
  > {
  camera: Pick<ResolvedShot['camera'], 'position' | 'frame'>;
}
