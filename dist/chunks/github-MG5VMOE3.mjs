const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b}from"./chunk-5IZNW7C5.mjs";import"./chunk-Q2SOQIMP.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{a as GitHubReleases,b as githubApiError};
//# sourceMappingURL=github-MG5VMOE3.mjs.map
