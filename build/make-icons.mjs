// Draws Postdesk's icons as PNG files with nothing but zlib: a violet rounded square with a white
// "P". `node build/make-icons.mjs` rewrites build/icon.png (512x512, installers and the window),
// build/tray.png (32x32) and build/tray@2x.png (64x64, HiDPI trays).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (width*height*4 bytes) to a PNG file's bytes. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const inDisk = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function inRoundedSquare(x, y, inset, radius) {
  const lo = inset;
  const hi = 1 - inset;
  if (!inRect(x, y, lo, lo, hi, hi)) return false;
  const cx = Math.min(Math.max(x, lo + radius), hi - radius);
  const cy = Math.min(Math.max(y, lo + radius), hi - radius);
  return inDisk(x, y, cx, cy, radius);
}

// The letter P in unit coordinates: a stem, and a bowl (a rectangle capped by a half disk) with a
// matching hole.
function inP(x, y) {
  const stem = inRect(x, y, 0.33, 0.23, 0.45, 0.77);
  const bowl = inRect(x, y, 0.33, 0.23, 0.5, 0.57) || (x >= 0.5 && inDisk(x, y, 0.5, 0.4, 0.17));
  const hole = inRect(x, y, 0.45, 0.33, 0.5, 0.47) || (x >= 0.5 && inDisk(x, y, 0.5, 0.4, 0.07));
  return stem || (bowl && !hole);
}

/** Renders the icon at `size` px, 4x4 supersampled for smooth edges. */
export function drawIcon(size, { inset }) {
  const rgba = Buffer.alloc(size * size * 4);
  const from = [79, 70, 229]; // indigo
  const to = [124, 58, 237]; // violet
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          if (inRoundedSquare(x, y, inset, 0.2)) {
            bg++;
            if (inP(x, y)) fg++;
          }
        }
      }
      const n = ss * ss;
      const t = (px + py) / (2 * size);
      const o = (py * size + px) * 4;
      const white = bg ? fg / bg : 0;
      for (let c = 0; c < 3; c++) {
        const base = from[c] + (to[c] - from[c]) * t;
        rgba[o + c] = Math.round(base + (255 - base) * white);
      }
      rgba[o + 3] = Math.round((255 * bg) / n);
    }
  }
  return rgba;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outputs = [
    { file: 'icon.png', size: 512, inset: 0.06 },
    { file: 'tray.png', size: 32, inset: 0.02 },
    { file: 'tray@2x.png', size: 64, inset: 0.02 },
  ];
  for (const { file, size, inset } of outputs) {
    writeFileSync(join(here, file), encodePng(size, size, drawIcon(size, { inset })));
    console.log(`wrote build/${file} (${size}x${size})`);
  }
}
