import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { RenderError } from './render-error.js';

/** Environment variable naming the Chromium/Chrome executable to use. */
export const BROWSER_ENV_VAR = 'VRM_LORA_CHROMIUM';

/** System locations tried last, in order. */
export const SYSTEM_BROWSER_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export interface FoundBrowser {
  executablePath: string;
  /** Where it was found: the option, the env var, Playwright's own download, or a system path. */
  source: 'option' | 'env' | 'playwright' | 'system';
}

export interface FindBrowserOptions {
  /** Use exactly this executable (an error when it does not exist). */
  executablePath?: string;
  /** Environment to read {@link BROWSER_ENV_VAR} from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Candidate system paths. Default {@link SYSTEM_BROWSER_PATHS}. */
  systemPaths?: readonly string[];
  /** Whether to try Playwright's own installed Chromium. Default true. */
  usePlaywrightBrowser?: boolean;
}

function isFile(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds a Chromium to drive: `executablePath` option, then `VRM_LORA_CHROMIUM`, then Playwright's own
 * installed Chromium, then system Chromium/Chrome. Throws a `RenderError('browser-not-found')` that says
 * what to install.
 */
export function findBrowser(options: FindBrowserOptions = {}): FoundBrowser {
  if (options.executablePath !== undefined) {
    if (isFile(options.executablePath)) return { executablePath: options.executablePath, source: 'option' };
    throw new RenderError(
      'browser-not-found',
      `browser executable ${options.executablePath} (from the executablePath option / --chromium) does not exist; ` +
        'give the path of a Chromium or Chrome binary',
    );
  }
  const env = options.env ?? process.env;
  const fromEnv = env[BROWSER_ENV_VAR];
  if (fromEnv) {
    if (isFile(fromEnv)) return { executablePath: fromEnv, source: 'env' };
    throw new RenderError(
      'browser-not-found',
      `${BROWSER_ENV_VAR}=${fromEnv} does not exist; set it to the path of a Chromium or Chrome binary, or unset it`,
    );
  }
  const tried: string[] = [`${BROWSER_ENV_VAR} (not set)`];
  if (options.usePlaywrightBrowser !== false) {
    let playwrightPath: string | null = null;
    // Ask Playwright (a 0.5 s import) only when one of its browser folders exists.
    if (playwrightBrowsersMayExist(env)) {
      try {
        const { chromium } = createRequire(import.meta.url)(
          'playwright-core',
        ) as typeof import('playwright-core');
        playwrightPath = chromium.executablePath();
      } catch {
        playwrightPath = null;
      }
    }
    if (playwrightPath && isFile(playwrightPath))
      return { executablePath: playwrightPath, source: 'playwright' };
    tried.push(`Playwright's Chromium${playwrightPath ? ` at ${playwrightPath}` : ''} (not installed)`);
  }
  for (const candidate of options.systemPaths ?? SYSTEM_BROWSER_PATHS) {
    if (isFile(candidate)) return { executablePath: candidate, source: 'system' };
    tried.push(candidate);
  }
  throw new RenderError(
    'browser-not-found',
    `no Chromium or Chrome found (tried: ${tried.join(', ')}). ` +
      'Install one — `apt-get install chromium` on Debian/Ubuntu, or `npx playwright install chromium` — ' +
      `or set ${BROWSER_ENV_VAR}=/path/to/chromium.`,
  );
}

/** Whether Playwright may have downloaded browsers: its browsers folder (or `PLAYWRIGHT_BROWSERS_PATH`) exists. */
function playwrightBrowsersMayExist(env: Record<string, string | undefined>): boolean {
  const custom = env.PLAYWRIGHT_BROWSERS_PATH;
  if (custom === '0') return true; // browsers inside node_modules: let Playwright say
  const home = os.homedir();
  const candidates = custom
    ? [custom]
    : [
        path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'ms-playwright'),
        path.join(home, 'Library', 'Caches', 'ms-playwright'),
        path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'ms-playwright'),
      ];
  return candidates.some((dir) => fs.existsSync(dir));
}
