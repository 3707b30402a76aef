// The page side of the renderer: bundled by esbuild (scripts/build-page.mjs) with three and three-vrm
// inside, loaded into headless Chromium from memory. Installs `window.vrmLora` (see ../protocol.ts).
import { installPage } from './page-api.js';

installPage();
