import type { ConcreteGlBackend } from './render-parameters.js';

/** Chromium flags of a GL backend. */
export function glBackendFlags(backend: ConcreteGlBackend): string[] {
  switch (backend) {
    case 'swiftshader':
      return ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
    case 'angle-default':
      return [];
    case 'angle-gl':
      return ['--use-angle=gl'];
    case 'angle-vulkan':
      return ['--use-angle=vulkan', '--enable-features=Vulkan'];
    case 'egl':
      return ['--use-gl=egl'];
  }
}

/** Flags always given to Chromium (besides the GL backend's). */
export const BASE_BROWSER_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--mute-audio',
  '--hide-scrollbars',
];
