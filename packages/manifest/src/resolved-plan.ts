// The plan a manifest resolves to (`resolveManifest`): every default applied, names canonical, paths absolute.
import type { VarietyBackground, VarietyChoice } from './background-variety.js';
import type { ConditioningKind, ContactSheetMode } from './formats.js';
import type { ShotCamera } from './framing.js';
import type { CaptionSettings } from './manifest-schema.js';
import type { ShotSize } from './shot-rules.js';
import type { TrainerName } from './trainers.js';

/** The background behind the avatar in the final image: none (transparent), or one a variety could offer. */
export type Background = { kind: 'transparent' } | VarietyBackground;

/** Which animation a shot poses the avatar with. */
export type ShotAnimation =
  /** `path` absolute; `name` as written in the manifest; `take` the clip name when the file has several. */
  | { kind: 'file'; path: string; name: string; take?: string }
  /** A built-in pose (`builtin:<name>` in the manifest), no file needed. */
  | { kind: 'builtin'; name: string };

/** Where in the animation a shot is sampled. */
export type ShotSample = { kind: 'frame'; frame: number } | { kind: 'time'; seconds: number };

/** One image to produce, fully resolved: no defaults left to apply. */
export interface ResolvedShot extends ShotSize {
  /** Stable id from the entry's own content (or its `id` field), independent of its position. */
  id: string;
  /** 0-based position in `dataCollection`. */
  index: number;
  /** 1-based position, for file names. */
  number: number;
  /** `dataCollection[7]`. */
  jsonPath: string;
  animation: ShotAnimation;
  sample: ShotSample;
  /** Wrap a frame/time past the clip's end around to the start (CharacterStudio does so silently). */
  wrap: boolean;
  expression: string | null;
  lookAtCamera: boolean;
  /** Conditioning images of this shot, in canonical order (the entry's list, else the run's). */
  conditioning: ConditioningKind[];
  camera: ShotCamera & {
    /** `front`, `front-left-top` (order front/back, left/right, top/bottom), or `custom` for vectors. */
    label: string;
  };
  background: Background;
  backgroundDescription: string;
  description: string;
}

/** A manifest with every default applied and every path made absolute. */
export interface ResolvedPlan {
  manifestFile: string;
  manifestDir: string;
  /** Folder the animation files are read from (`--animations`, or assetsLocation + animationsDirectory). */
  animationsDir: string;
  /** Absolute VRM paths: `--vrm` when given, else the manifest's `avatar` / `avatars`. May be empty. */
  avatars: string[];
  /** Where `avatars` came from: `--vrm`, the manifest's `avatar` or `avatars` field, or nowhere. */
  avatarsSource: 'cli' | 'avatar' | 'avatars' | 'none';
  /** Default `anata`. */
  trigger: string;
  /** Default `person`. */
  classToken: string;
  /**
   * The manifest's caption settings, every field it gives passed on as written (a new caption field reaches the
   * captioner with no change here), with these defaults applied.
   */
  caption: CaptionSettings & {
    template: string;
    style: 'sentence' | 'tags';
    extension: 'txt' | 'caption';
    /** More caption lines per image, each its own template and style (default none). */
    variants: { template: string; style: 'sentence' | 'tags' }[];
  };
  /** Trainers to write setups for; `null`: every one the layout and captions suit. */
  trainers: TrainerName[] | null;
  repeats: number;
  layout: 'kohya' | 'flat' | 'jsonl';
  image: { format: 'png' | 'webp' | 'jpeg'; quality: number; alphaMask: 'none' | 'alpha' | 'separate' };
  wrapAnimations: boolean;
  /**
   * `backgrounds` resolved: its seed, every background it offers, and its images folder (absolute, or null);
   * null without `backgrounds`.
   */
  backgroundVariety: { seed: number; choices: VarietyChoice[]; imagesDirectory: string | null } | null;
  /** What the contact sheet shows (default `images`). */
  contactSheet: ContactSheetMode;
  shots: ResolvedShot[];
}

/** Where a manifest sits and what the command line overrides. */
export interface ResolveManifestOptions {
  /** Absolute path of the manifest file. */
  manifestFile: string;
  /** `--animations`: replaces the manifest's animation folder (resolved against `cwd`). */
  animationsDir?: string;
  /** `--vrm`: replaces the manifest's avatars (resolved against `cwd`). */
  vrmPaths?: string[];
  /** `--conditioning`: replaces the manifest's top-level `conditioning` list. */
  conditioning?: readonly ConditioningKind[];
  /** `--contact-sheet`: replaces the manifest's `contactSheet`. */
  contactSheet?: ContactSheetMode;
  /** Base for command-line paths. Default `process.cwd()`. */
  cwd?: string;
  /**
   * `--strict`: a frame past a clip's end is an error unless the manifest itself asks to wrap
   * (`wrapAnimation` / `wrapAnimations: true`). Default false: wrap, as CharacterStudio does.
   */
  strict?: boolean;
}
