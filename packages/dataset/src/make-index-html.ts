/** One entry of the HTML index. */
export interface IndexHtmlEntry {
  number: number;
  caption: string;
  /** Image path relative to the HTML file, `/`-separated. */
  imagePath: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function toHref(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/** A self-contained `index.html` showing every image with its entry number and caption. */
export function makeIndexHtml(
  entries: readonly IndexHtmlEntry[],
  options: { title: string; contactSheetPath: string | null },
): string {
  const figures = entries.map(
    (entry) =>
      `<figure><a href="${toHref(entry.imagePath)}"><img src="${toHref(entry.imagePath)}" loading="lazy" alt="entry ${entry.number}"></a>` +
      `<figcaption><b>#${entry.number}</b> ${escapeHtml(entry.caption)}</figcaption></figure>`,
  );
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(options.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:1rem;background:#fafafa;color:#202020}',
    'main{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:1rem}',
    'figure{margin:0}img{width:100%;height:auto;background:repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}',
    'figcaption{font-size:.85rem;margin-top:.3rem}</style></head><body>',
    `<h1>${escapeHtml(options.title)}</h1>`,
    `<p>${entries.length} image${entries.length === 1 ? '' : 's'}` +
      (options.contactSheetPath ? ` · <a href="${toHref(options.contactSheetPath)}">contact sheet</a>` : '') +
      '</p>',
    '<main>',
    ...figures,
    '</main></body></html>',
    '',
  ].join('\n');
}
