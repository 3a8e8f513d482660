/**
 * Page building blocks shared by the sections: the section panel, the session switcher (a `<select>` plus one
 * pane per choice, toggled by the page's small inline script; without script the first pane shows), key-figure
 * tiles and kind chips.
 */
import { esc } from './html.js';
import { KIND_COLORS, KIND_NAMES } from './palette.js';

/** A rendered section: its anchor id, nav title and HTML. */
export interface SectionHtml {
  id: string;
  title: string;
  html: string;
  /** CSS the section needs, appended once to the page's `<style>`. */
  css?: string;
  /** Inline scripts the section needs, emitted once each at the end of `<body>` (before the page script). */
  scripts?: string[];
}

export function panel(id: string, title: string, intro: string, body: string): SectionHtml {
  return {
    id,
    title,
    html:
      `<section class="panel" id="${esc(id)}"><header class="panel-head"><h2>${esc(title)}</h2>` +
      (intro ? `<p class="intro">${esc(intro)}</p>` : '') +
      `</header>${body}</section>`,
  };
}

/**
 * A switcher over `choices` (label shown in the select) with one pane each. `group` must be unique on the page
 * ([a-z0-9-]). Values are indices, so labels never need to be valid attribute tokens.
 */
export function switcher(
  group: string,
  selectLabel: string,
  choices: { label: string; html: string }[],
): string {
  if (choices.length === 0) return '';
  const options = choices
    .map((c, i) => `<option value="${i}"${i === 0 ? ' selected' : ''}>${esc(c.label)}</option>`)
    .join('');
  const select =
    choices.length > 1
      ? `<div class="switch"><label>${esc(selectLabel)} <select data-group="${group}">${options}</select></label>` +
        `<span class="switch-count">${choices.length} available</span></div>`
      : '';
  const panes = choices
    .map(
      (c, i) =>
        `<div class="pane" data-group="${group}" data-key="${i}"${i === 0 ? '' : ' hidden'}>${c.html}</div>`,
    )
    .join('');
  return select + panes;
}

/** Key-figure tiles: label over value. */
export function tiles(items: { label: string; value: string; tone?: 'good' | 'bad' | '' }[]): string {
  if (items.length === 0) return '';
  return (
    `<div class="tiles">` +
    items
      .map(
        (t) =>
          `<div class="tile${t.tone ? ` tile-${t.tone}` : ''}"><div class="tile-label">${esc(t.label)}</div>` +
          `<div class="tile-value">${esc(t.value)}</div></div>`,
      )
      .join('') +
    `</div>`
  );
}

/** A small coloured chip naming an event kind (kind already validated). */
export function kindChip(kind: number): string {
  return `<span class="kind-chip"><i style="background:${KIND_COLORS[kind]}"></i>${esc(KIND_NAMES[kind])}</span>`;
}

/** The kind legend as HTML (used where a chart has no legend of its own). */
export function kindLegend(): string {
  return `<div class="kind-legend">${KIND_NAMES.map((_, k) => kindChip(k)).join('')}</div>`;
}

/** A figure: chart/SVG plus caption. */
export function figure(inner: string, caption: string): string {
  return `<figure class="fig">${inner}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}
