import type { WatchEntry, WatchState } from '../watch-state.js';

/**
 * The preview page's script. It runs in the browser, serialised with `Function.prototype.toString` (a class is
 * a function): it must use nothing from outside its own body (type imports only), so its helpers are static
 * members. One instance per page: {@link PreviewClient.start}.
 */
export class PreviewClient {
  private readonly grid = PreviewClient.byId('grid');
  private readonly status = PreviewClient.byId('status');
  private readonly overlay = PreviewClient.byId('overlay');
  private readonly cards = new Map<string, HTMLElement>();
  private state: WatchState | null = null;
  private openKey: string | null = null;

  /** Wires the page's controls and its event stream (`/events`: `state` and `progress`). */
  static start(): PreviewClient {
    const client = new PreviewClient();
    PreviewClient.byId('close').addEventListener('click', () => client.closeDetail());
    client.overlay.addEventListener('click', (e) => {
      if (e.target === client.overlay) client.closeDetail();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') client.closeDetail();
    });
    const events = new EventSource('/events');
    events.addEventListener('state', (e) => client.draw(JSON.parse((e as MessageEvent).data) as WatchState));
    events.addEventListener('progress', (e) =>
      client.showProgress(
        JSON.parse((e as MessageEvent).data) as { stage: string; number: number; status: string },
      ),
    );
    return client;
  }

  private static byId(id: string): HTMLElement {
    return document.getElementById(id) as HTMLElement;
  }

  private static el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  private static svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  private static imageUrl(entry: WatchEntry): string {
    return entry.image
      ? `/files/${entry.image.split('/').map(encodeURIComponent).join('/')}?v=${entry.imageSha256 ?? ''}`
      : '';
  }

  private static seconds(ms: number): string {
    return `${(ms / 1000).toFixed(2)} s`;
  }

  /** Draws a new state: status line, error box, grid, and the open detail. */
  draw(s: WatchState): void {
    this.state = s;
    document.body.dataset.cycle = String(s.cycle);
    document.body.dataset.status = s.status;
    document.body.dataset.error = s.error ? 'true' : 'false';
    this.drawStatus(s);
    this.drawError(s);
    this.drawGrid(s);
    if (this.openKey) this.drawDetail();
  }

  /** A render in progress: its card marked busy, the status line says which. */
  showProgress(p: { stage: string; number: number; status: string }): void {
    if (p.stage !== 'render' || p.status === 'cached') return;
    this.status.textContent = `rendered #${p.number}…`;
    for (const card of this.cards.values())
      if (card.dataset.number === String(p.number)) card.classList.add('busy');
  }

  private drawStatus(s: WatchState): void {
    PreviewClient.byId('where').textContent = `${s.manifest} → ${s.outDir}`;
    let text = 'starting…';
    if (s.status === 'running') text = `cycle ${s.cycle} running…`;
    else if (s.error) text = `cycle ${s.error.cycle}: invalid input — showing the last good images`;
    else if (s.last) {
      const l = s.last;
      const c = l.summary.counts;
      text =
        `cycle ${l.cycle}: ${l.renders} rendered, ${c.render.cached} cached, ${PreviewClient.seconds(l.durationMs)}` +
        ` · ${l.browserStarts} browser start${l.browserStarts === 1 ? '' : 's'}, ${l.avatarLoads} avatar load${l.avatarLoads === 1 ? '' : 's'}`;
    }
    this.status.textContent = text;
    this.status.dataset.status = s.error && s.status !== 'running' ? 'error' : s.status;
  }

  private drawError(s: WatchState): void {
    const el = PreviewClient.el;
    const box = PreviewClient.byId('error');
    box.hidden = !s.error;
    if (!s.error) return;
    PreviewClient.byId('error-title').textContent =
      `Cycle ${s.error.cycle}: the inputs are invalid; the images below are the last good ones`;
    const list = PreviewClient.byId('error-findings');
    list.replaceChildren(
      ...s.error.findings.map((f) => {
        const li = el('li');
        li.append(el('code', 'finding-path', f.path === '' ? '(whole file)' : f.path), ` ${f.message}`);
        return li;
      }),
    );
    PreviewClient.byId('error-message').textContent =
      s.error.findings.length > 0 ? (s.error.hint ?? '') : s.error.message;
  }

  private fillCard(card: HTMLElement, entry: WatchEntry, cycle: number): void {
    const el = PreviewClient.el;
    card.dataset.key = entry.key;
    card.dataset.number = String(entry.number);
    card.dataset.renderedCycle = String(entry.renderedInCycle);
    card.dataset.imageSha256 = entry.imageSha256 ?? '';
    card.classList.toggle('fresh', entry.renderedInCycle === cycle && cycle > 1);
    card.classList.remove('busy');
    const img = card.querySelector('img') as HTMLImageElement;
    const url = PreviewClient.imageUrl(entry);
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
  }

  private newCard(key: string): HTMLElement {
    const el = PreviewClient.el;
    const card = el('article', 'card');
    const thumb = el('button', 'thumb');
    thumb.type = 'button';
    thumb.append(el('img'));
    thumb.addEventListener('click', () => this.openDetail(key));
    card.append(thumb, el('div', 'body'));
    return card;
  }

  private drawGrid(s: WatchState): void {
    const keys = new Set(s.entries.map((e) => e.key));
    for (const [key, card] of this.cards)
      if (!keys.has(key)) {
        card.remove();
        this.cards.delete(key);
      }
    s.entries.forEach((entry, i) => {
      let card = this.cards.get(entry.key);
      if (!card) {
        card = this.newCard(entry.key);
        this.cards.set(entry.key, card);
      }
      this.fillCard(card, entry, s.last?.cycle ?? 0);
      if (this.grid.children[i] !== card) this.grid.insertBefore(card, this.grid.children[i] ?? null);
    });
  }

  /** The open entry's full image with its bounds and margin lines, and its meta as a list. */
  private drawDetail(): void {
    const entry = this.state?.entries.find((e) => e.key === this.openKey);
    if (!entry) {
      this.overlay.hidden = true;
      return;
    }
    this.overlay.hidden = false;
    PreviewClient.byId('detail-title').textContent =
      `#${entry.number} ${entry.jsonPath} — ${entry.description}`;
    const full = PreviewClient.byId('full') as HTMLImageElement;
    const url = PreviewClient.imageUrl(entry);
    if (full.getAttribute('src') !== url) full.setAttribute('src', url);
    const lines = PreviewClient.byId('lines');
    lines.replaceChildren();
    if (entry.meta) PreviewClient.drawLines(lines, entry.meta);
    const rows = [...PreviewClient.metaRows(entry.meta), ...PreviewClient.entryRows(entry)];
    const el = PreviewClient.el;
    PreviewClient.byId('meta').replaceChildren(
      ...rows.flatMap(([k, val]) => [el('dt', undefined, k), el('dd', undefined, val)]),
    );
  }

  /** The subject's bounds and the requested top and bottom margins, over the full image. */
  private static drawLines(lines: HTMLElement, meta: NonNullable<WatchEntry['meta']>): void {
    const svg = PreviewClient.svg;
    const w = meta.width;
    const h = meta.height;
    const top = meta.request.topFrameOffsetPixels;
    const bottom = h - meta.request.bottomFrameOffsetPixels;
    lines.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const b = meta.bounds;
    const margin = (y: number, name: string) =>
      svg('line', {
        x1: 0,
        x2: w,
        y1: y,
        y2: y,
        stroke: '#41e0ff',
        'stroke-width': Math.max(1, w / 400),
        'stroke-dasharray': '8 6',
        'data-line': name,
      });
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
      margin(top, 'top-margin'),
      margin(bottom, 'bottom-margin'),
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
  }

  /** The render meta's rows: size, camera, framing, bounds, expression, look-at, avatar, timings. */
  private static metaRows(meta: WatchEntry['meta']): [string, string][] {
    if (!meta) return [['render meta', 'none (the entry has no render)']];
    const v = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
    const b = meta.bounds;
    const rows: [string, string][] = [
      ['size', `${meta.width} × ${meta.height}`],
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
      [
        'margins',
        `top ${meta.request.topFrameOffsetPixels} px, bottom ${meta.request.bottomFrameOffsetPixels} px`,
      ],
      [
        'expression',
        `${meta.expression.requested ?? '(neutral)'} → ${meta.expression.applied ?? '(none applied)'}`,
      ],
      [
        'look-at',
        `${meta.lookAt.mode}, yaw ${meta.lookAt.yawDegrees.toFixed(1)}°, pitch ${meta.lookAt.pitchDegrees.toFixed(1)}°`,
      ],
      ['avatar', `VRM ${meta.avatar.specVersion}, ${meta.avatar.springJointCount} spring joints`],
    ];
    // Timings end in `Ms`; the counts beside them (draws, redraws, megapixels) are plain numbers.
    for (const [k, n] of Object.entries(meta.timings))
      rows.push([`render: ${k}`, k.endsWith('Ms') ? `${n.toFixed(0)} ms` : String(Number(n.toFixed(2)))]);
    return rows;
  }

  /** The entry's rows: stage outcomes of the last cycle, the cycle that rendered it, warnings, error. */
  private static entryRows(entry: WatchEntry): [string, string][] {
    const rows: [string, string][] = [];
    for (const [stage, o] of Object.entries(entry.stages))
      rows.push([`stage ${stage}`, `${o.status}, ${o.durationMs} ms (last cycle)`]);
    rows.push([
      'rendered in cycle',
      entry.renderedInCycle > 0 ? String(entry.renderedInCycle) : 'before this watch (cache)',
    ]);
    for (const w of entry.warnings) rows.push(['warning', w]);
    if (entry.error) rows.push(['error', entry.error]);
    return rows;
  }

  private openDetail(key: string): void {
    this.openKey = key;
    this.drawDetail();
  }

  private closeDetail(): void {
    this.openKey = null;
    this.overlay.hidden = true;
  }
}
