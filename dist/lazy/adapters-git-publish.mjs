const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-4GO35W5K.mjs";import"../chunks/chunk-QK7YS3OY.mjs";import"../chunks/chunk-YZISHJCU.mjs";import"../chunks/chunk-GYGSD4ZT.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
//# sourceMappingURL=adapters-git-publish.mjs.map
