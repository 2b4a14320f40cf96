const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-PNGG3I66.mjs";import"../chunks/chunk-45UOEHWF.mjs";import"../chunks/chunk-V6ASQTCS.mjs";import"../chunks/chunk-UVSCDZT3.mjs";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
