import { PreviewClient } from './page/preview-client.js';

/** The preview page: a shell that `/preview.js` fills from the watch state. */
export function previewHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vrm-lora watch</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/preview.css">
</head>
<body>
<header id="top">
  <h1>vrm-lora watch</h1>
  <p id="where"></p>
  <p id="status" data-status="starting">starting…</p>
</header>
<section id="error" hidden>
  <h2 id="error-title"></h2>
  <ul id="error-findings"></ul>
  <pre id="error-message"></pre>
</section>
<main id="grid"></main>
<div id="overlay" hidden>
  <div id="detail">
    <button id="close" type="button" aria-label="close">×</button>
    <h2 id="detail-title"></h2>
    <div id="detail-body">
      <div id="figure"><img id="full" alt=""><svg id="lines" xmlns="http://www.w3.org/2000/svg"></svg></div>
      <dl id="meta"></dl>
    </div>
  </div>
</div>
<script src="/preview.js"></script>
</body>
</html>
`;
}

/** The page's script: the client class, compiled with the package, started once. */
export function previewScript(): string {
  return `(${PreviewClient.toString()}).start();\n`;
}

/** The page's style. */
export const PREVIEW_CSS = `
:root { color-scheme: dark; --bg: #16181d; --card: #20232b; --line: #343844; --text: #e6e8ee; --dim: #9aa0ad;
  --warn: #f2c14e; --bad: #ff6b6b; --ok: #5fd38d; --accent: #6cb6ff; font-family: system-ui, sans-serif; }
body { margin: 0; background: var(--bg); color: var(--text); font-size: 14px; }
#top { position: sticky; top: 0; z-index: 2; display: flex; gap: 16px; align-items: baseline;
  padding: 10px 16px; background: #111318ee; border-bottom: 1px solid var(--line); }
#top h1 { font-size: 16px; margin: 0; flex: none; }
#where { margin: 0; flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--dim); font-family: ui-monospace, monospace; font-size: 12px; }
#status { margin: 0; flex: none; white-space: nowrap; font-size: 13px; }
#status[data-status="running"] { color: var(--accent); }
#status[data-status="error"] { color: var(--bad); }
#error { margin: 12px 16px; padding: 10px 14px; border: 1px solid var(--bad); border-radius: 6px; background: #3a1f24; }
#error h2 { margin: 0 0 6px; font-size: 15px; color: var(--bad); }
#error ul { margin: 0; padding-left: 18px; }
#error code { color: var(--warn); }
#error pre:empty { display: none; }
#error pre { margin: 6px 0 0; white-space: pre-wrap; color: var(--dim); }
#grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; padding: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; display: flex; flex-direction: column; }
.card.fresh { border-color: var(--ok); }
.card.busy { border-color: var(--accent); }
.card button.thumb { all: unset; cursor: zoom-in; display: block; aspect-ratio: 1; background: #0c0d10; }
.card img { width: 100%; height: 100%; object-fit: contain; display: block; }
.card .body { padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 4px; }
.card .head { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
.card .num { font-weight: 600; }
.card code, #meta code { font-family: ui-monospace, monospace; font-size: 12px; color: var(--accent); }
.card .badge { margin-left: auto; font-size: 11px; color: var(--dim); }
.card.fresh .badge { color: var(--ok); }
.card .desc { color: var(--dim); margin: 0; }
.card .caption { margin: 0; font-size: 12px; line-height: 1.35; }
.card .warnings { margin: 0; padding-left: 16px; color: var(--warn); font-size: 12px; }
.card .entry-error { margin: 0; color: var(--bad); font-size: 12px; }
#overlay { position: fixed; inset: 0; z-index: 3; background: #000c; display: flex; }
#overlay[hidden] { display: none; }
#detail { margin: auto; max-width: 96vw; max-height: 94vh; overflow: auto; background: var(--card);
  border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; position: relative; }
#detail h2 { margin: 0 0 10px; font-size: 15px; }
#close { position: absolute; top: 6px; right: 10px; font-size: 22px; background: none; border: 0; color: var(--text); cursor: pointer; }
#detail-body { display: flex; gap: 16px; align-items: flex-start; }
#figure { position: relative; flex: none; background: repeating-conic-gradient(#2a2d35 0 25%, #22252c 0 50%) 0 0 / 16px 16px; }
#figure img { display: block; max-width: none; }
#figure svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
#meta { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 3px 10px; font-size: 12px; min-width: 260px; }
#meta dt { color: var(--dim); }
#meta dd { margin: 0; font-family: ui-monospace, monospace; }
`;
