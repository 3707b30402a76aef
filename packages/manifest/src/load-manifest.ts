import fs from 'node:fs/promises';
import path from 'node:path';
import { BACKGROUND_IMAGE_EXTENSIONS } from './background-variety.js';
import { checkAvatarFile } from './check-avatar-bytes.js';
import type { Finding } from './findings.js';
import type { ConditioningKind, ContactSheetMode } from './formats.js';
import { MAX_MANIFEST_BYTES, type ManifestEntry } from './manifest-schema.js';
import {
  type AnimationRef,
  findMissingAnimationFiles,
  type MissingAnimationFile,
  missingAnimationFindings,
  missingAnimationsHint,
} from './missing-animation-files.js';
import { locateOffset, parseJsonText } from './parse-json-text.js';
import {
  computeEntryId,
  resolveAnimationFile,
  resolveAnimationsDir,
  resolveManifest,
} from './resolve-manifest.js';
import type { ResolvedPlan } from './resolved-plan.js';
import { validateManifest } from './validate-manifest.js';

/** Options of {@link loadManifest}. */
export interface LoadManifestOptions {
  /** `--animations`: the folder to read animation files from, instead of the manifest's own. */
  animationsDir?: string;
  /** `--vrm`: avatar files that replace the manifest's `avatar` / `avatars`. */
  vrmPaths?: string[];
  /** `--conditioning`: replaces the manifest's top-level `conditioning` list. */
  conditioning?: readonly ConditioningKind[];
  /** `--contact-sheet`: replaces the manifest's `contactSheet`. */
  contactSheet?: ContactSheetMode;
  /** Report missing animation and VRM files as errors with their entry path. Default true. */
  checkFiles?: boolean;
  /** Base folder for `animationsDir` and `vrmPaths`. Default `process.cwd()`. */
  cwd?: string;
  /** `--strict`: frames past a clip's end are errors unless the manifest asks to wrap. */
  strict?: boolean;
  /**
   * `--skip-missing-animations`: an entry whose animation file is not there is left out of the plan (a warning
   * per file) instead of making the manifest invalid; no entry left is still an error.
   */
  skipMissingAnimations?: boolean;
}

/** The result of {@link loadManifest}. */
export interface LoadManifestResult {
  /** The resolved plan, or `null` when any error was found. */
  plan: ResolvedPlan | null;
  /** Every problem found (errors first, then warnings). */
  findings: Finding[];
  /** One line on what to do next, for after the findings (e.g. how many entries missing clips stop). */
  hint?: string;
}

/**
 * Reads, checks and resolves a manifest file. Never throws for bad input: unreadable files, non-UTF-8 text,
 * invalid JSON (with line and column), schema problems and missing files all come back as findings.
 */
export async function loadManifest(
  file: string,
  options: LoadManifestOptions = {},
): Promise<LoadManifestResult> {
  try {
    return await loadManifestUnguarded(file, options);
  } catch (error) {
    // A bug here must still not surface as a stack trace for a user's input.
    return {
      plan: null,
      findings: [
        {
          severity: 'error',
          file: path.resolve(options.cwd ?? process.cwd(), file),
          path: '',
          message: `could not be checked (${(error as Error).message ?? String(error)}); this is a vrm-lora bug, please report it with the file`,
        },
      ],
    };
  }
}

async function loadManifestUnguarded(
  file: string,
  options: LoadManifestOptions,
): Promise<LoadManifestResult> {
  const cwd = options.cwd ?? process.cwd();
  const manifestFile = path.resolve(cwd, file);
  const fail = (message: string, at = ''): LoadManifestResult => ({
    plan: null,
    findings: [{ severity: 'error', file: manifestFile, path: at, message }],
  });

  const text = await readManifestText(manifestFile);
  if (typeof text !== 'string') return fail(text.error);

  const parsed = parseJsonText(text);
  const syntax = parsed.problems.find((p) => p.kind === 'syntax');
  if (syntax)
    return fail(
      `invalid JSON at line ${syntax.position.line}, column ${syntax.position.column}: ${syntax.message}`,
    );
  const duplicates: Finding[] = parsed.problems.map((p) => ({
    severity: 'error',
    file: manifestFile,
    path: p.path,
    message: `${p.message} (line ${p.position.line}, column ${p.position.column})`,
  }));

  const validated = validateManifest(parsed.value, manifestFile);
  const findings = [...duplicates, ...validated.findings];
  if (!validated.manifest || duplicates.length > 0) {
    // Every problem in one pass: the entries that are fine still get their files checked.
    if (!(options.checkFiles ?? true)) return { plan: null, findings: sortFindings(findings) };
    const refs = rawAnimationRefs(parsed.value, manifestFile, cwd, options, findings);
    const missing = await findMissingAnimationFiles(refs);
    const skip = options.skipMissingAnimations ?? false;
    findings.push(...missingAnimationFindings(missing, manifestFile, folderSource(options), skip));
    // Nothing runs from an invalid manifest: the hint is the one for the missing files, not for skipping them.
    const entryCount = rawEntryCount(parsed.value);
    const hint = skip ? null : missingAnimationsHint(missing, entryCount, false);
    return { plan: null, findings: sortFindings(findings), ...(hint ? { hint } : {}) };
  }

  const plan = resolveManifest(validated.manifest, {
    manifestFile,
    ...(options.animationsDir !== undefined ? { animationsDir: options.animationsDir } : {}),
    ...(options.vrmPaths !== undefined ? { vrmPaths: options.vrmPaths } : {}),
    ...(options.conditioning !== undefined ? { conditioning: options.conditioning } : {}),
    ...(options.contactSheet !== undefined ? { contactSheet: options.contactSheet } : {}),
    cwd,
    ...(options.strict ? { strict: true } : {}),
  });
  findings.push(...findRepeatedEntries(validated.manifest.dataCollection, manifestFile));
  if (!(options.checkFiles ?? true)) return withPlan(plan, findings);
  const missing = await findMissingAnimationFiles(animationRefsOf(plan));
  const skip = options.skipMissingAnimations ?? false;
  findings.push(...missingAnimationFindings(missing, manifestFile, folderSource(options), skip));
  findings.push(...(await checkPlanFiles(plan, options)));
  const hint = missingAnimationsHint(missing, plan.shots.length, skip);
  const result = withPlan(skip ? withoutShotsOf(plan, missing, findings) : plan, findings);
  // Skipping is news only when the others run: with other errors nothing does.
  return hint && (result.plan || !skip) ? { ...result, hint } : result;
}

/** The plan, unless an error was found; the findings errors first. */
function withPlan(plan: ResolvedPlan, findings: Finding[]): LoadManifestResult {
  const sorted = sortFindings(findings);
  return { plan: sorted.some((f) => f.severity === 'error') ? null : plan, findings: sorted };
}

/** The plan without the entries whose animation files are missing; no entry left is an error finding. */
function withoutShotsOf(
  plan: ResolvedPlan,
  missing: MissingAnimationFile[],
  findings: Finding[],
): ResolvedPlan {
  if (missing.length === 0) return plan;
  const skipped = new Set(missing.flatMap((m) => m.usedBy));
  const shots = plan.shots.filter((shot) => !skipped.has(`${shot.jsonPath}.animationPath`));
  if (shots.length === 0)
    findings.push({
      severity: 'error',
      file: plan.manifestFile,
      path: 'dataCollection',
      message: `no entry has its animation file (${missing.length} not found): nothing to run`,
    });
  return { ...plan, shots };
}

function folderSource(options: LoadManifestOptions): 'flag' | 'manifest' {
  return options.animationsDir !== undefined ? 'flag' : 'manifest';
}

function rawEntryCount(raw: unknown): number {
  const entries =
    raw && typeof raw === 'object' ? (raw as Record<string, unknown>).dataCollection : undefined;
  return Array.isArray(entries) ? entries.length : 0;
}

/** The animation files the plan's entries name. */
function animationRefsOf(plan: ResolvedPlan): AnimationRef[] {
  return plan.shots.flatMap((shot) =>
    shot.animation.kind === 'file'
      ? [
          {
            jsonPath: `${shot.jsonPath}.animationPath`,
            file: shot.animation.path,
            folder: plan.animationsDir,
          },
        ]
      : [],
  );
}

/** Entries identical to an earlier one (same normalized content, no own `id`): the same image twice. */
function findRepeatedEntries(entries: ManifestEntry[], file: string): Finding[] {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  entries.forEach((entry, index) => {
    if (entry.id !== undefined) return;
    const id = computeEntryId(entry);
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else
      findings.push({
        severity: 'warning',
        file,
        path: `dataCollection[${index}]`,
        message: `is identical to dataCollection[${earlier}]: the dataset gets the same image twice`,
      });
  });
  return findings;
}

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** The manifest's text, or an error message (missing file, folder, too big, not UTF-8). */
async function readManifestText(file: string): Promise<string | { error: string }> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) return { error: 'is a folder; give the manifest .json file inside it' };
    if (stat.size > MAX_MANIFEST_BYTES)
      return {
        error: `is ${(stat.size / 1024 / 1024).toFixed(1)} MB; a manifest may be at most ${MAX_MANIFEST_BYTES / 1024 / 1024} MB (is this the right file?)`,
      };
    bytes = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: 'file not found' };
    if (code === 'EACCES' || code === 'EPERM') return { error: 'cannot be read: permission denied' };
    return { error: `cannot be read (${code ?? (e as Error).message})` };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { error: 'is UTF-16 text; save it as UTF-8' };
  const bad = findInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const at = locateOffset(before, before.length);
    return {
      error: `is not UTF-8 text: byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at line ${at.line}, column ${at.column}; save the file as UTF-8`,
    };
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Index of the first byte that is not part of valid UTF-8, or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * The animation files of a manifest that failed validation, for the entries whose `animationPath` (and the
 * top-level folder fields) passed: so missing files are reported in the same pass as the other problems.
 */
function rawAnimationRefs(
  raw: unknown,
  manifestFile: string,
  cwd: string,
  options: LoadManifestOptions,
  findings: Finding[],
): AnimationRef[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const top = raw as Record<string, unknown>;
  const flagged = (at: string) => findings.some((f) => f.path === at || f.path.startsWith(`${at}.`));
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  let dir: string;
  if (options.animationsDir !== undefined) dir = path.resolve(cwd, options.animationsDir);
  else if (flagged('assetsLocation') || flagged('animationsDirectory')) return [];
  else
    dir = resolveAnimationsDir(
      path.dirname(manifestFile),
      text(top.assetsLocation),
      text(top.animationsDirectory),
    );
  const entries = Array.isArray(top.dataCollection) ? (top.dataCollection as unknown[]) : [];
  return entries.flatMap((entry, i) => {
    const at = `dataCollection[${i}].animationPath`;
    const name =
      entry && typeof entry === 'object' ? (entry as Record<string, unknown>).animationPath : undefined;
    if (typeof name !== 'string' || name.startsWith('builtin:') || flagged(at)) return [];
    return [{ jsonPath: at, file: resolveAnimationFile(dir, name), folder: dir }];
  });
}

/** A background images folder without images, and missing VRM files (animation files: the caller). */
async function checkPlanFiles(plan: ResolvedPlan, options: LoadManifestOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const images = plan.backgroundVariety?.imagesDirectory;
  if (images && !plan.backgroundVariety?.choices.some((c) => c.background.kind === 'image')) {
    const state = await fileState(images);
    findings.push({
      severity: 'error',
      file: plan.manifestFile,
      path: 'backgrounds.imagesDirectory',
      message:
        state === 'folder'
          ? `has no background images (${BACKGROUND_IMAGE_EXTENSIONS.join(', ')}): ${images}`
          : `folder not found: ${images} (relative to the manifest's folder)`,
    });
  }
  const fromCli = (options.vrmPaths?.length ?? 0) > 0;
  for (const [i, avatar] of plan.avatars.entries()) {
    const state = await fileState(avatar);
    const at = {
      file: fromCli ? avatar : plan.manifestFile,
      path: fromCli ? '' : plan.avatarsSource === 'avatars' ? `avatars[${i}]` : 'avatar',
    };
    if (state === 'file') {
      // What `run` would refuse before rendering (not a VRM, truncated, …), from the file's header alone.
      const problem = await checkAvatarFile(avatar).catch(
        (e: NodeJS.ErrnoException) => `cannot be read (${e.code})`,
      );
      if (problem)
        findings.push({
          severity: 'error',
          ...at,
          message: fromCli ? problem : `VRM file ${avatar} ${problem}`,
        });
      continue;
    }
    findings.push({
      severity: 'error',
      ...at,
      message: `VRM file ${state === 'folder' ? 'is a folder' : 'not found'}${fromCli ? ' (given with --vrm)' : `: ${avatar}`}`,
    });
  }
  return findings;
}

async function fileState(file: string): Promise<'file' | 'folder' | 'missing'> {
  try {
    const stat = await fs.stat(file);
    return stat.isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
