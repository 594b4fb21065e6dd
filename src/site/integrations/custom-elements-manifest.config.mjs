/**
 * Configuration of the Custom Elements Manifest analyzer for the components, run through its
 * CLI by build-components.ts (`cem analyze --config <this file> --outdir …`), with Lit support
 * and one plugin that makes the manifest describe what is published rather than the sources.
 */

/** Element source → the published module that defines it. */
const ELEMENT_MODULES = {
  'components/accept/accept.ts': 'assent-accept.js',
  'components/cookies/cookies.ts': 'assent-cookies.js',
  'components/update/update.ts': 'assent-update.js',
};

/**
 * Runs once the manifest is linked: names each element's module as published (with a
 * `custom-elements-definition` export for its tag), drops internal members (private,
 * protected, Lit's `state: true`) from every element's API, and keeps only the `assent-*`
 * events the JSDoc `@fires` name (the analyzer also guesses events from `dispatchEvent`).
 */
function publishedModules() {
  return {
    name: 'assent-published-modules',
    packageLinkPhase({ customElementsManifest: manifest }) {
      const internal = new Set();
      for (const module of manifest.modules)
        for (const declaration of module.declarations ?? [])
          for (const member of declaration.members ?? [])
            if (member.privacy === 'private' || member.privacy === 'protected') internal.add(member.name);
      for (const module of manifest.modules) {
        const published = ELEMENT_MODULES[module.path];
        if (!published) continue;
        module.path = published;
        for (const declaration of module.declarations ?? []) {
          if (!declaration.tagName) continue;
          declaration.members = declaration.members?.filter((m) => !internal.has(m.name));
          declaration.attributes = declaration.attributes?.filter((a) => !internal.has(a.fieldName));
          declaration.events = declaration.events?.filter((e) => e.name?.startsWith('assent-'));
          module.exports = [
            ...(module.exports ?? []),
            {
              kind: 'custom-element-definition',
              name: declaration.tagName,
              declaration: { name: declaration.name, module: published },
            },
          ];
        }
      }
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  litelement: true,
  // The manifest is published with the components, not named in this project's package.json.
  packagejson: false,
  quiet: true,
  plugins: [publishedModules()],
};
