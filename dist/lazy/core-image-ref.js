const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-W25XZGYM.js";import"../chunks/chunk-KFAEJPSP.js";import"../chunks/chunk-SJSNVLE3.js";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
