const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-RHODGZKO.mjs";import"../chunks/chunk-IFA6UT5B.mjs";import"../chunks/chunk-HBG5P3CX.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
//# sourceMappingURL=adapters-git-publish.mjs.map
