const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-FL4BLY4R.mjs";import"../chunks/chunk-SDOX567Y.mjs";import"../chunks/chunk-UVSCDZT3.mjs";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
