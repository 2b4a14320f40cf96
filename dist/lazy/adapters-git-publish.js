const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-ZA3JFEJE.js";import"../chunks/chunk-KFAEJPSP.js";import"../chunks/chunk-SJSNVLE3.js";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
