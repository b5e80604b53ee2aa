/**
 * An indexed-colour pixel buffer: one byte per pixel naming a palette entry.
 * A chart has a handful of flat colours, so this is all the drawing it needs
 * and it encodes as a small palette PNG.
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from "./font";

export type Rgb = readonly [number, number, number];

export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly palette: readonly Rgb[],
    background = 0,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`bad raster size ${width}×${height}`);
    if (palette.length < 1 || palette.length > 256) throw new RangeError("a palette has 1 to 256 colours");
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  /** Fills the rectangle, clipped to the raster. */
  fillRect(x: number, y: number, w: number, h: number, colour: number): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) this.pixels.fill(colour, yy * this.width + x0, yy * this.width + Math.max(x0, x1));
  }

  get(x: number, y: number): number {
    return this.pixels[y * this.width + x]!;
  }
}

/** Width in pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

export const textHeight = (scale: number) => GLYPH_HEIGHT * scale;

/** Draws text with its top-left corner at (x, y); `align` moves the anchor to the centre or the right end. */
export function drawText(r: Raster, text: string, x: number, y: number, scale: number, colour: number, align: "left" | "center" | "right" = "left"): void {
  const w = textWidth(text, scale);
  let left = align === "left" ? x : align === "center" ? x - w / 2 : x - w;
  left = Math.round(left);
  for (const ch of text) {
    const g = glyph(ch);
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++)
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) if (g[gy]![gx]) r.fillRect(left + gx * scale, y + gy * scale, scale, scale, colour);
    left += (GLYPH_WIDTH + 1) * scale;
  }
}
