import type { JsonPathSegment } from './findings.js';
import type { Manifest, ManifestEntry } from './manifest-schema.js';

type Report = (segments: JsonPathSegment[], message: string) => void;

/** Words `{background}` gives for a transparent background trainers will see as black. */
export const TRANSPARENT_SEEN_AS = 'plain black background';

/**
 * Whether trainers see a transparent background as black: the image keeps alpha, but without a mask nothing
 * tells the trainer to ignore it, and sd-scripts (PIL `convert("RGB")`), OneTrainer, ai-toolkit and diffusers
 * load images as RGB, dropping alpha: every transparent pixel (stored as RGB 0, 0, 0) is black.
 */
export function transparentSeenAsBlack(
  background: { kind: string },
  alphaMask: 'none' | 'alpha' | 'separate',
): boolean {
  return background.kind === 'transparent' && alphaMask === 'none';
}

/**
 * Checks of the background fields across the manifest (after each field passed its own schema): `backgrounds`
 * offers something, captions can name it, and a transparent background without a mask is flagged.
 */
export function checkBackgrounds(
  top: Partial<Manifest>,
  entries: readonly (ManifestEntry | null)[],
  error: Report,
  warn: Report,
): void {
  const variety = top.backgrounds;
  if (variety) {
    const offered =
      (variety.colors?.length ?? 0) + (variety.gradients?.length ?? 0) + (variety.imagesDirectory ? 1 : 0);
    if (offered === 0)
      error(['backgrounds'], 'offers no background: give "colors", "gradients" and/or "imagesDirectory"');
    const template = top.caption?.template;
    if (template !== undefined && !/\{\s*background\s*\}/.test(template))
      warn(
        ['caption', 'template'],
        'has no {background}: captions will not name the varied backgrounds, so the LoRA may learn them as part of the avatar',
      );
  }
  const mask = top.image?.alphaMask ?? 'none';
  if (mask !== 'none') return;
  const advice =
    'trainers load images as RGB (sd-scripts: PIL convert("RGB") drops alpha) and see a black background, ' +
    `so captions say "${TRANSPARENT_SEEN_AS}" where they would name it. Use a background colour or "backgrounds", ` +
    'or image.alphaMask "alpha" / "separate" so the trainer masks the background out';
  const topTransparent = top.background === 'transparent' && !variety;
  if (topTransparent) warn(['background'], `is "transparent" with image.alphaMask "none": ${advice}`);
  entries.forEach((entry, index) => {
    if (entry?.background === 'transparent' && !topTransparent)
      warn(
        ['dataCollection', index, 'background'],
        `is "transparent" with image.alphaMask "none": ${advice}`,
      );
  });
}
