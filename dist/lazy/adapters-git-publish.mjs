const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-GFBT3D3F.mjs";import"../chunks/chunk-IJ7LOU73.mjs";import"../chunks/chunk-GYGSD4ZT.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
//# sourceMappingURL=adapters-git-publish.mjs.map
