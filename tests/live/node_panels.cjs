// The WebAssembly twin of live_cli: answers the same requests with the wasm build of the
// panels (docs/live/build.sh), one JSON answer per line, so the two outputs can be diffed.
//
//   node tests/live/node_panels.cjs WB_LIVE_JS [--weights FILE] REQUESTS
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
    const args = process.argv.slice(2);
    const createWbLive = require(path.resolve(args.shift()));
    let weights = null;
    if (args[0] === '--weights') { args.shift(); weights = fs.readFileSync(args.shift()); }
    const requests = fs.readFileSync(args.shift(), 'utf8').split(/^---$/m);
    const M = await createWbLive();
    const call = (name, text) => {
        const n = M.lengthBytesUTF8(text) + 1, p = M._malloc(n);
        M.stringToUTF8(text, p, n);
        const out = M.UTF8ToString(M['_' + name](p));
        M._free(p);
        return out;
    };
    if (weights) {
        const p = M._malloc(weights.length);
        M.HEAPU8.set(weights, p);
        const why = M.UTF8ToString(M._wb_live_set_weights(p, weights.length / 4));
        M._free(p);
        if (why) throw new Error(why);
    }
    const out = [];
    for (const r of requests) if (r.trim()) out.push(call('wb_live', r.replace(/^\n/, '')));
    process.stdout.write(out.join('\n') + '\n');
}
main().catch(e => { console.error('node_panels: ' + e.message); process.exit(2); });
