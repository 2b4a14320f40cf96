const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-UN664GKO.js";import"../chunks/chunk-6Y67QFZO.js";import"../chunks/chunk-SJSNVLE3.js";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
