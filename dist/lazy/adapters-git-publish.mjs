const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-WCQMADGM.mjs";import"../chunks/chunk-QA7C4JXQ.mjs";import"../chunks/chunk-KSVOVXPJ.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
//# sourceMappingURL=adapters-git-publish.mjs.map
