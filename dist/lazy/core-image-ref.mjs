const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-WLO6TZJF.mjs";import"../chunks/chunk-6BKA3B4U.mjs";import"../chunks/chunk-V6ASQTCS.mjs";import"../chunks/chunk-UVSCDZT3.mjs";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
