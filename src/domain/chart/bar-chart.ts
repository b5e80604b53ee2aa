/**
 * A bar chart as a PNG: bars on a light grid, amounts abbreviated on the
 * left axis (12k, 1.5M), a label under each bar, the highest bar in an accent
 * colour. Words belong in the caption: the picture carries only figures, so
 * one small bitmap font serves every language.
 */
import { encodePng } from "./png";
import { drawText, Raster, type Rgb, textHeight, textWidth } from "./raster";

export interface BarSeries {
  /** Under each bar, short ("09", "14"): the font has digits, ".", ",", ":", "-", "k" and "M". */
  labels: string[];
  /** One per label, ≥ 0 (negatives are drawn as 0). */
  values: number[];
}

export interface ChartSize {
  width: number;
  height: number;
}

const PALETTE: Rgb[] = [
  [255, 255, 255], // 0 background
  [60, 64, 72], // 1 axis and text
  [226, 229, 235], // 2 grid
  [66, 133, 244], // 3 bar
  [240, 128, 40], // 4 the highest bar
];
const BG = 0;
const INK = 1;
const GRID = 2;
const BAR = 3;
const PEAK = 4;

export const DEFAULT_CHART_SIZE: ChartSize = { width: 800, height: 420 };
const SCALE = 2;
const MAX_BARS = 96;

/** 1, 2, 2.5 or 5 times a power of ten: a step that gives 3–6 grid lines up to `max`. */
export function niceStep(max: number): number {
  if (!(max > 0)) return 1;
  const rough = max / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= rough) return m * pow;
  return 10 * pow;
}

/** 950 → "950", 12_000 → "12k", 1_500_000 → "1.5M": fits the axis in a few glyphs. */
export function shortAmount(v: number): string {
  const trim = (x: number) => (Math.round(x * 10) / 10).toString();
  if (Math.abs(v) >= 1e6) return `${trim(v / 1e6)}M`;
  if (Math.abs(v) >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

export function drawBarChart(series: BarSeries, size: ChartSize = DEFAULT_CHART_SIZE): Raster {
  const n = Math.min(series.labels.length, series.values.length, MAX_BARS);
  const values = series.values.slice(0, n).map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const r = new Raster(size.width, size.height, PALETTE, BG);
  const max = Math.max(0, ...values);
  const step = niceStep(max);
  const top = max > 0 ? Math.ceil(max / step) * step : step * 4;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);

  const axisLabelWidth = Math.max(...ticks.map((t) => textWidth(shortAmount(t), SCALE)));
  const plot = {
    left: axisLabelWidth + 16,
    right: size.width - 16,
    top: 16 + textHeight(SCALE) / 2,
    bottom: size.height - textHeight(SCALE) - 16,
  };
  const plotHeight = plot.bottom - plot.top;
  const yOf = (v: number) => plot.bottom - (v / top) * plotHeight;

  for (const t of ticks) {
    const y = Math.round(yOf(t));
    r.fillRect(plot.left, y, plot.right - plot.left, 1, t === 0 ? INK : GRID);
    drawText(r, shortAmount(t), plot.left - 8, y - textHeight(SCALE) / 2, SCALE, INK, "right");
  }
  r.fillRect(plot.left, plot.top, 1, plotHeight + 1, INK);

  if (n === 0) return r;
  const slot = (plot.right - plot.left - 2) / n;
  const barWidth = Math.max(1, Math.floor(slot * 0.7));
  const peak = values.indexOf(max);
  // Labels are thinned out (every 2nd, 3rd…) when they would touch.
  const labelWidth = Math.max(...series.labels.slice(0, n).map((l) => textWidth(l, SCALE)));
  const every = Math.max(1, Math.ceil((labelWidth + 6) / slot));
  for (let i = 0; i < n; i++) {
    const cx = plot.left + 2 + slot * i + slot / 2;
    const y = yOf(values[i]!);
    if (values[i]! > 0) r.fillRect(cx - barWidth / 2, y, barWidth, Math.max(1, plot.bottom - y), i === peak && max > 0 ? PEAK : BAR);
    if (i % every === 0) drawText(r, series.labels[i]!, cx, plot.bottom + 8, SCALE, INK, "center");
  }
  return r;
}

/** The chart as PNG bytes. */
export async function barChartPng(series: BarSeries, size: ChartSize = DEFAULT_CHART_SIZE): Promise<Uint8Array> {
  return encodePng(drawBarChart(series, size));
}
