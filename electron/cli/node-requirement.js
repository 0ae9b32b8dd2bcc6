// The Node.js the `keyfleet` command needs: 22.18 runs TypeScript sources without a flag.
// Plain JavaScript that any older Node parses, so the launcher and `npm run link-cli` can say
// what to do instead of failing on syntax or a missing feature.

export const REQUIRED_NODE = '22.18';

/** True when `version` (e.g. "20.20.2") is older than REQUIRED_NODE. */
export function nodeTooOld(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = REQUIRED_NODE.split('.').map(Number);
  return major < needMajor || (major === needMajor && minor < needMinor);
}

/** What to tell someone running the checkout `checkout` with `node` (a path) at `version`. */
export function oldNodeMessage(checkout, version = process.versions.node, node = process.execPath) {
  return [
    `Node.js ${REQUIRED_NODE} or newer is required; this is Node.js ${version} (${node}).`,
    'Install Node.js 22 or newer (https://nodejs.org/en/download, or `nvm install 22`), then, with',
    `that Node first on PATH, run \`npm install\` and \`npm run link-cli\` in ${checkout} so the`,
    '`keyfleet` command runs with it.',
  ].join('\n');
}
