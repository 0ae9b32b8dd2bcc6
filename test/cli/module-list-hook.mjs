// A load hook for the lazy-loading tests: `node --import <this file>` records the URL of every
// module the process loads (ESM and CommonJS, ours, npm packages and node: builtins) and, at
// exit, writes them as a JSON array to the file named by KEYFLEET_TEST_MODULE_LIST.
import fs from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env.KEYFLEET_TEST_MODULE_LIST;
if (out) {
  const loaded = [];
  registerHooks({
    load(url, context, nextLoad) {
      loaded.push(url);
      return nextLoad(url, context);
    },
  });
  process.on('exit', () => fs.writeFileSync(out, JSON.stringify(loaded)));
}
