const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b}from"./chunk-HLNQIFTM.mjs";import"./chunk-HBG5P3CX.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{a as GitHubReleases,b as githubApiError};
//# sourceMappingURL=github-RQV22MCX.mjs.map
