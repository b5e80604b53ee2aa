/**
 * The hourly chart is a real PNG: Telegram's sendPhoto must accept it, so it
 * is decoded here with Node's zlib and its pixels checked, not just its bytes.
 */
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { barChartPng, drawBarChart, niceStep, shortAmount } from "../../../src/domain/chart/bar-chart";
import { encodePng, toBase64, zlibStored } from "../../../src/domain/chart/png";
import { Raster } from "../../../src/domain/chart/raster";
import { hourlyChart, hourlyPoints } from "../../../src/domain/reports/chart";
import { hourly } from "../reports/samples";

interface Decoded {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  palette: Array<[number, number, number]>;
  /** Palette index of every pixel, row by row. */
  pixels: Uint8Array;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A minimal PNG reader: checks signature, chunk CRCs and order, and unfilters (filter 0 only, which is all we write). */
function decodePng(png: Uint8Array): Decoded {
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Array<{ type: string; data: Uint8Array }> = [];
  for (let o = 8; o < png.length; ) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    const data = png.subarray(o + 8, o + 8 + len);
    expect(view.getUint32(o + 8 + len), `${type} crc`).toBe(crc(png.subarray(o + 4, o + 8 + len)));
    chunks.push({ type, data });
    o += 12 + len;
  }
  expect(chunks[0]!.type).toBe("IHDR");
  expect(chunks.at(-1)!.type).toBe("IEND");
  const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  const plte = chunks.find((c) => c.type === "PLTE")!.data;
  const palette = Array.from({ length: plte.length / 3 }, (_, i) => [plte[i * 3]!, plte[i * 3 + 1]!, plte[i * 3 + 2]!] as [number, number, number]);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  expect(raw.length).toBe((width + 1) * height);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, bitDepth: ihdr.getUint8(8), colourType: ihdr.getUint8(9), palette, pixels };
}

describe("PNG encoding", () => {
  it("writes a palette PNG that zlib decodes back to the same pixels", async () => {
    const r = new Raster(7, 5, [
      [255, 255, 255],
      [10, 20, 30],
    ]);
    r.fillRect(2, 1, 3, 3, 1);
    for (const compress of [true, false]) {
      const d = decodePng(await encodePng(r, { compress }));
      expect(d).toMatchObject({ width: 7, height: 5, bitDepth: 8, colourType: 3 });
      expect(d.palette).toEqual([
        [255, 255, 255],
        [10, 20, 30],
      ]);
      expect([...d.pixels]).toEqual([...r.pixels]);
    }
  });

  it("stores data larger than one deflate block without compression when asked", () => {
    const data = new Uint8Array(150_000).map((_, i) => i % 251);
    expect(Buffer.compare(inflateSync(zlibStored(data)), Buffer.from(data))).toBe(0);
  });

  it("gives base64 that decodes to the same bytes", () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    expect(Buffer.from(toBase64(bytes), "base64").equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("the bar chart", () => {
  const series = { labels: ["10", "11", "12", "13"], values: [1200, 5400, 300, 0] };

  it("is a PNG of plausible size: 800×420, a few kilobytes", async () => {
    const png = await barChartPng(series);
    const d = decodePng(png);
    expect([d.width, d.height]).toEqual([800, 420]);
    expect(png.length).toBeGreaterThan(1_000);
    expect(png.length).toBeLessThan(60_000);
  });

  it("draws one bar per value in proportion, the highest in the accent colour", () => {
    const r = drawBarChart(series);
    // Scan just above the baseline: runs of bar colours are the bars.
    const baseline = (() => {
      for (let y = r.height - 1; y >= 0; y--) if (r.get(Math.floor(r.width / 2), y) === 1) return y;
      return -1;
    })();
    const runs: Array<{ colour: number; from: number; to: number }> = [];
    for (let x = 0; x < r.width; x++) {
      const c = r.get(x, baseline - 2);
      if (c !== 3 && c !== 4) continue;
      const last = runs.at(-1);
      if (last && last.to === x - 1 && last.colour === c) last.to = x;
      else runs.push({ colour: c, from: x, to: x });
    }
    expect(runs.map((b) => b.colour)).toEqual([3, 4, 3]); // 13:00 sold nothing: no bar
    const heights = runs.map((b) => {
      let y = baseline - 1;
      while (y > 0 && r.get((b.from + b.to) >> 1, y - 1) === b.colour) y--;
      return baseline - y;
    });
    expect(heights[1]! / heights[0]!).toBeCloseTo(5400 / 1200, 0);
    expect(heights[0]!).toBeGreaterThan(heights[2]!);
  });

  it("picks round grid steps and short axis amounts", () => {
    expect(niceStep(5400)).toBe(2000);
    expect(niceStep(95)).toBe(25);
    expect(shortAmount(950)).toBe("950");
    expect(shortAmount(12_000)).toBe("12k");
    expect(shortAmount(1_500_000)).toBe("1.5M");
  });

  it("draws an empty day as axes only", () => {
    const r = drawBarChart({ labels: [], values: [] });
    expect([...r.pixels].some((p) => p === 3 || p === 4)).toBe(false);
  });
});

describe("the hourly report's chart", () => {
  it("takes revenue per hour from the report", () => {
    const points = hourlyPoints(hourly(), "Europe/Moscow")!;
    expect(points).toHaveLength(14);
    expect(points[0]).toEqual({ hour: 10, amount: 150_000 });
  });

  it("comes with a caption in the chat's language naming the peak hour", async () => {
    const ru = await hourlyChart(hourly(), { restaurantName: "Бистро <1>", timezone: "Europe/Moscow", lang: "ru" });
    const en = await hourlyChart(hourly(), { restaurantName: "Бистро <1>", timezone: "Europe/Moscow", lang: "en" });
    const uk = await hourlyChart(hourly(), { restaurantName: "Бистро <1>", timezone: "Europe/Moscow", lang: "uk" });
    expect(ru!.caption).toContain("Бистро &lt;1&gt;: выручка по часам, ₽");
    expect(ru!.caption).toMatch(/Пик: 14:00 — 17\s992\s₽/);
    expect(en!.caption).toContain("revenue by hour");
    expect(en!.caption).toContain("Peak: 14:00 — ₽17,992");
    expect(uk!.caption).toContain("виторг по годинах");
    const d = decodePng(new Uint8Array(Buffer.from(ru!.pngBase64, "base64")));
    expect(d.width).toBe(800);
  });

  it("is not drawn for a report without hours", async () => {
    const noHours = { ...hourly(), sections: [{ ...hourly().sections[0]!, rows: [["Бар", 1, 100]] }] };
    expect(await hourlyChart(noHours, { restaurantName: "x", timezone: "UTC", lang: "ru" })).toBeNull();
  });
});
