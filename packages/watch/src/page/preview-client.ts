import type { WatchEntry, WatchState } from '../watch-state.js';

/**
 * The preview page's script. It runs in the browser, serialised with `Function.prototype.toString`: it must
 * use nothing from outside its own body (type imports only).
 */
export function previewClient(): void {
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  const grid = byId('grid');
  const status = byId('status');
  const overlay = byId('overlay');
  const cards = new Map<string, HTMLElement>();
  let state: WatchState | null = null;
  let openKey: string | null = null;

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const imageUrl = (entry: WatchEntry) =>
    entry.image
      ? `/files/${entry.image.split('/').map(encodeURIComponent).join('/')}?v=${entry.imageSha256 ?? ''}`
      : '';
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

  const drawStatus = (s: WatchState) => {
    byId('where').textContent = `${s.manifest} → ${s.outDir}`;
    let text = 'starting…';
    if (s.status === 'running') text = `cycle ${s.cycle} running…`;
    else if (s.error) text = `cycle ${s.error.cycle}: invalid input — showing the last good images`;
    else if (s.last) {
      const l = s.last;
      const c = l.summary.counts;
      text =
        `cycle ${l.cycle}: ${l.renders} rendered, ${c.render.cached} cached, ${seconds(l.durationMs)}` +
        ` · ${l.browserStarts} browser start${l.browserStarts === 1 ? '' : 's'}, ${l.avatarLoads} avatar load${l.avatarLoads === 1 ? '' : 's'}`;
    }
    status.textContent = text;
    status.dataset.status = s.error && s.status !== 'running' ? 'error' : s.status;
  };

  const drawError = (s: WatchState) => {
    const box = byId('error');
    box.hidden = !s.error;
    if (!s.error) return;
    byId('error-title').textContent =
      `Cycle ${s.error.cycle}: the inputs are invalid; the images below are the last good ones`;
    const list = byId('error-findings');
    list.replaceChildren(
      ...s.error.findings.map((f) => {
        const li = el('li');
        li.append(el('code', 'finding-path', f.path === '' ? '(whole file)' : f.path), ` ${f.message}`);
        return li;
      }),
    );
    byId('error-message').textContent = s.error.findings.length > 0 ? '' : s.error.message;
  };

  const fillCard = (card: HTMLElement, entry: WatchEntry, cycle: number) => {
    card.dataset.key = entry.key;
    card.dataset.number = String(entry.number);
    card.dataset.renderedCycle = String(entry.renderedInCycle);
    card.dataset.imageSha256 = entry.imageSha256 ?? '';
    card.classList.toggle('fresh', entry.renderedInCycle === cycle && cycle > 1);
    card.classList.remove('busy');
    const img = card.querySelector('img') as HTMLImageElement;
    const url = imageUrl(entry);
    if (img.getAttribute('src') !== url) {
      if (url) img.setAttribute('src', url);
      else img.removeAttribute('src');
    }
    img.alt = entry.description;
    const body = card.querySelector('.body') as HTMLElement;
    const head = el('div', 'head');
    head.append(
      el('span', 'num', `#${entry.number}`),
      el('code', 'path', entry.jsonPath),
      el(
        'span',
        'badge',
        entry.renderedInCycle > 0 ? `rendered in cycle ${entry.renderedInCycle}` : 'from cache',
      ),
    );
    const parts: HTMLElement[] = [head, el('p', 'desc', entry.description)];
    if (entry.caption !== null) parts.push(el('p', 'caption', entry.caption));
    if (entry.warnings.length > 0) {
      const ul = el('ul', 'warnings');
      for (const w of entry.warnings) ul.append(el('li', undefined, w));
      parts.push(ul);
    }
    if (entry.error) parts.push(el('p', 'entry-error', entry.error));
    body.replaceChildren(...parts);
  };

  const newCard = (key: string) => {
    const card = el('article', 'card');
    const thumb = el('button', 'thumb');
    thumb.type = 'button';
    thumb.append(el('img'));
    thumb.addEventListener('click', () => openDetail(key));
    card.append(thumb, el('div', 'body'));
    return card;
  };

  const drawGrid = (s: WatchState) => {
    const keys = new Set(s.entries.map((e) => e.key));
    for (const [key, card] of cards)
      if (!keys.has(key)) {
        card.remove();
        cards.delete(key);
      }
    s.entries.forEach((entry, i) => {
      let card = cards.get(entry.key);
      if (!card) {
        card = newCard(entry.key);
        cards.set(entry.key, card);
      }
      fillCard(card, entry, s.last?.cycle ?? 0);
      if (grid.children[i] !== card) grid.insertBefore(card, grid.children[i] ?? null);
    });
  };

  const svg = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const drawDetail = () => {
    const entry = state?.entries.find((e) => e.key === openKey);
    if (!entry) {
      overlay.hidden = true;
      return;
    }
    overlay.hidden = false;
    byId('detail-title').textContent = `#${entry.number} ${entry.jsonPath} — ${entry.description}`;
    const full = byId('full') as HTMLImageElement;
    const url = imageUrl(entry);
    if (full.getAttribute('src') !== url) full.setAttribute('src', url);
    const lines = byId('lines');
    const meta = entry.meta;
    lines.replaceChildren();
    const dl = byId('meta');
    const rows: [string, string][] = [];
    if (meta) {
      const w = meta.width;
      const h = meta.height;
      const top = meta.request.topFrameOffsetPixels;
      const bottom = h - meta.request.bottomFrameOffsetPixels;
      lines.setAttribute('viewBox', `0 0 ${w} ${h}`);
      const b = meta.bounds;
      lines.append(
        svg('rect', {
          x: b.left,
          y: b.top,
          width: b.right - b.left + 1,
          height: b.bottom - b.top + 1,
          fill: 'none',
          stroke: '#ff5fd2',
          'stroke-width': Math.max(1, w / 512),
          'data-line': 'bounds',
        }),
        svg('line', {
          x1: 0,
          x2: w,
          y1: top,
          y2: top,
          stroke: '#41e0ff',
          'stroke-width': Math.max(1, w / 400),
          'stroke-dasharray': '8 6',
          'data-line': 'top-margin',
        }),
        svg('line', {
          x1: 0,
          x2: w,
          y1: bottom,
          y2: bottom,
          stroke: '#41e0ff',
          'stroke-width': Math.max(1, w / 400),
          'stroke-dasharray': '8 6',
          'data-line': 'bottom-margin',
        }),
        svg(
          'text',
          { x: 6, y: Math.max(14, top - 4), fill: '#41e0ff', 'font-size': Math.max(12, w / 48) },
          `top margin ${top} px`,
        ),
        svg(
          'text',
          {
            x: 6,
            y: Math.min(h - 4, bottom + Math.max(14, w / 40)),
            fill: '#41e0ff',
            'font-size': Math.max(12, w / 48),
          },
          `bottom margin ${meta.request.bottomFrameOffsetPixels} px`,
        ),
      );
      const v = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
      rows.push(
        ['size', `${w} × ${h}`],
        ['frame', meta.request.frame],
        ['camera position (request)', v(meta.request.cameraPosition)],
        ['camera position (world)', v(meta.camera.position)],
        ['camera target', v(meta.camera.target)],
        ['field of view', `${meta.camera.fovDegrees}°`],
        ['local offset', v(meta.request.localOffset)],
        [
          'framing',
          `${meta.framing.mode}, ${meta.framing.iterations} iterations${meta.framing.alphaCorrected ? ', alpha-corrected' : ''}`,
        ],
        ['subject bounds', `left ${b.left}, top ${b.top}, right ${b.right}, bottom ${b.bottom}`],
        ['margins', `top ${top} px, bottom ${meta.request.bottomFrameOffsetPixels} px`],
        [
          'expression',
          `${meta.expression.requested ?? '(neutral)'} → ${meta.expression.applied ?? '(none applied)'}`,
        ],
        [
          'look-at',
          `${meta.lookAt.mode}, yaw ${meta.lookAt.yawDegrees.toFixed(1)}°, pitch ${meta.lookAt.pitchDegrees.toFixed(1)}°`,
        ],
        ['avatar', `VRM ${meta.avatar.specVersion}, ${meta.avatar.springJointCount} spring joints`],
      );
      for (const [k, ms] of Object.entries(meta.timings)) rows.push([`render: ${k}`, `${ms.toFixed(0)} ms`]);
    } else rows.push(['render meta', 'none (the entry has no render)']);
    for (const [stage, o] of Object.entries(entry.stages))
      rows.push([`stage ${stage}`, `${o.status}, ${o.durationMs} ms (last cycle)`]);
    rows.push([
      'rendered in cycle',
      entry.renderedInCycle > 0 ? String(entry.renderedInCycle) : 'before this watch (cache)',
    ]);
    for (const w of entry.warnings) rows.push(['warning', w]);
    if (entry.error) rows.push(['error', entry.error]);
    dl.replaceChildren(...rows.flatMap(([k, val]) => [el('dt', undefined, k), el('dd', undefined, val)]));
  };

  const openDetail = (key: string) => {
    openKey = key;
    drawDetail();
  };
  const closeDetail = () => {
    openKey = null;
    overlay.hidden = true;
  };
  byId('close').addEventListener('click', closeDetail);
  overlay.addEventListener('click', (e) => {
    if (e.target === overlay) closeDetail();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeDetail();
  });

  const draw = (s: WatchState) => {
    state = s;
    document.body.dataset.cycle = String(s.cycle);
    document.body.dataset.status = s.status;
    document.body.dataset.error = s.error ? 'true' : 'false';
    drawStatus(s);
    drawError(s);
    drawGrid(s);
    if (openKey) drawDetail();
  };

  const events = new EventSource('/events');
  events.addEventListener('state', (e) => draw(JSON.parse((e as MessageEvent).data) as WatchState));
  events.addEventListener('progress', (e) => {
    const p = JSON.parse((e as MessageEvent).data) as { stage: string; number: number; status: string };
    if (p.stage !== 'render' || p.status === 'cached') return;
    status.textContent = `rendered #${p.number}…`;
    for (const card of cards.values())
      if (card.dataset.number === String(p.number)) card.classList.add('busy');
  });
}
