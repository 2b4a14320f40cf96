const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b}from"./chunk-NS6ZLFKC.mjs";import"./chunk-KSVOVXPJ.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{a as GitHubReleases,b as githubApiError};
//# sourceMappingURL=github-V2MJDU2T.mjs.map
