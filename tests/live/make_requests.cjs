// Writes ch11 panel requests for the digits of digits.json, rasterised the way a canvas
// draws a round-capped stroke (a pixel is ink when its centre is within half the line
// width of a segment), each with a backward pass for its own label.
//
//   node tests/live/make_requests.cjs [LINE_WIDTH]
'use strict';
const fs = require('fs');
const path = require('path');

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, 'digits.json'), 'utf8'));
const size = spec.canvas, half = Number(process.argv[2] || 22) / 2;

function distance(px, py, [ax, ay], [bx, by]) {
    const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    const t = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
    return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

const out = [];
for (const [label, strokes] of Object.entries(spec.digits)) {
    let hex = '';
    for (let y = 0; y < size; ++y)
        for (let x = 0; x < size; ++x) {
            let ink = false;
            for (const s of strokes)
                for (let k = 0; k + 1 < s.length && !ink; ++k) ink = distance(x + 0.5, y + 0.5, s[k], s[k + 1]) <= half;
            hex += ink ? 'ff' : '00';
        }
    out.push(`panel=ch11\nwidth=${size}\nheight=${size}\nlabel=${label}\npixels=${hex}\n`);
}
process.stdout.write(out.join('---\n'));
