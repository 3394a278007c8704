import type { ImageBlock } from './document.js';

/** A 1-bit image packed eight pixels a byte, most significant bit first, 1 = black. */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  readonly data: Uint8Array;
}

function greyLevels(img: ImageBlock): Uint8Array {
  const { width, height, pixels } = img;
  if (pixels.length === width * height) return pixels instanceof Uint8Array ? pixels : new Uint8Array(pixels);
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    const alpha = pixels[p + 3]! / 255;
    const luma = 0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!;
    // Transparent pixels are paper.
    out[i] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return out;
}

/** Area-average downscale, so thin lines of a logo fade to grey instead of vanishing. */
function downscale(grey: Uint8Array, w: number, h: number, nw: number, nh: number): Float32Array {
  const out = new Float32Array(nw * nh);
  const sx = w / nw;
  const sy = h / nh;
  for (let y = 0; y < nh; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < nw; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += grey[yy * w + xx]!;
      out[y * nw + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Turns an image into the printer's black and white dots: scaled down (keeping its aspect)
 * when wider than `maxWidth` dots, then dithered with Floyd-Steinberg error diffusion (or a
 * plain threshold), so greys print as dot density.
 */
export function rasterize(img: ImageBlock, maxWidth: number): Bitmap {
  const grey = greyLevels(img);
  let width = img.width;
  let height = img.height;
  let levels: Float32Array;
  if (width > maxWidth) {
    height = Math.max(1, Math.round((height * maxWidth) / width));
    width = maxWidth;
    levels = downscale(grey, img.width, img.height, width, height);
  } else {
    levels = Float32Array.from(grey);
  }
  const bytesPerRow = Math.ceil(width / 8);
  const data = new Uint8Array(bytesPerRow * height);
  const diffuse = (img.dither ?? 'floyd-steinberg') === 'floyd-steinberg';
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const old = levels[i]!;
      const black = old < 128;
      if (black) data[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
      if (!diffuse) continue;
      const err = old - (black ? 0 : 255);
      if (x + 1 < width) levels[i + 1]! += (err * 7) / 16;
      if (y + 1 < height) {
        if (x > 0) levels[i + width - 1]! += (err * 3) / 16;
        levels[i + width]! += (err * 5) / 16;
        if (x + 1 < width) levels[i + width + 1]! += err / 16;
      }
    }
  }
  return { width, height, bytesPerRow, data };
}

/** Whether the dot at (x, y) is black. @internal */
export function dotAt(b: Bitmap, x: number, y: number): boolean {
  return ((b.data[y * b.bytesPerRow + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}
