const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-52XLVJQU.mjs";import"../chunks/chunk-45UOEHWF.mjs";import"../chunks/chunk-V6ASQTCS.mjs";import"../chunks/chunk-UVSCDZT3.mjs";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
