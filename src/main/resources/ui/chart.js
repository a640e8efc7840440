// The histogram: counts per time bucket stacked by level (uPlot bars); dragging selects a window.
import uPlot from './uPlot-1.6.32.esm.js';

const COLORS = { TRACE: '#9aa4ae', DEBUG: '#7b8a99', INFO: '#3b7dd8', WARN: '#e0a100', ERROR: '#d64541', FATAL: '#7a1fa2' };
const OTHER = ['#2a9d8f', '#8d6e63', '#5c6bc0', '#26a69a', '#ef6c00'];

export function levelColor(level, i = 0) { return COLORS[level] || OTHER[i % OTHER.length]; }

export class Histogram {
  /** onZoom(fromIso, toIso) is called with the dragged window. */
  constructor(element, onZoom) {
    this.element = element;
    this.onZoom = onZoom;
    this.plot = null;
    // The element's width changes with the window and when a vertical scrollbar appears under a long table.
    new ResizeObserver(() => this.plot && this.plot.setSize(this.size())).observe(this.element);
  }

  size() { return { width: Math.max(200, this.element.clientWidth), height: 170 }; }

  /** data: the answer of GET /logs/histogram; tz: 'utc' or 'local'. */
  render(data, tz) {
    const xs = data.buckets.map((b) => Date.parse(b.start) / 1000);
    const levels = Object.keys(data.levels);
    const stacked = [];
    let below = xs.map(() => 0);
    levels.forEach((level) => {
      below = data.buckets.map((b, j) => below[j] + (b.counts[level] || 0));
      stacked.push(below);
    });
    // Drawn top of the stack first, so each lower level paints over the part of the bar it owns.
    const order = levels.map((_, i) => i).reverse();
    const bars = uPlot.paths.bars({ size: [0.9, 64], align: 1 });
    const opts = {
      ...this.size(),
      legend: { show: false },
      tzDate: tz === 'utc' ? (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') : (ts) => new Date(ts * 1e3),
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: true, range: (u, min, max) => [xs[0], xs[xs.length - 1] + data.bucket_seconds] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { size: 50 }],
      series: [{}, ...order.map((i) => ({ label: levels[i], fill: levelColor(levels[i], i), stroke: levelColor(levels[i], i), width: 0, paths: bars, points: { show: false } }))],
      hooks: { setSelect: [(u) => this.selected(u)] },
    };
    if (this.plot) this.plot.destroy();
    this.plot = new uPlot(opts, [xs, ...order.map((i) => stacked[i])], this.element);
    const parts = levels.map((l) => `${l} ${data.levels[l]}`).join(', ');
    this.element.setAttribute('aria-label', `${data.total} events from ${data.from} to ${data.to}` + (parts ? `: ${parts}` : ''));
  }

  selected(u) {
    if (u.select.width < 3) return;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.onZoom(new Date(from * 1000).toISOString(), new Date(to * 1000).toISOString());
  }
}
