const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-YHIJSIS6.mjs";import"../chunks/chunk-SDOX567Y.mjs";import"../chunks/chunk-UVSCDZT3.mjs";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
