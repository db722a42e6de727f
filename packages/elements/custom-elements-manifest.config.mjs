// Custom Elements Manifest for @tabwise/elements (custom-elements.json, read by editors, Storybook
// and docs tools). Run from this folder: `node ../../scripts/custom-elements-manifest.js` does that.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/drop-in.ts'],
  outdir: '.',
  litelement: true,
};
