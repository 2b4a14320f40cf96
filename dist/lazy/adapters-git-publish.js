const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-7TJIERJD.js";import"../chunks/chunk-6Y67QFZO.js";import"../chunks/chunk-SJSNVLE3.js";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
