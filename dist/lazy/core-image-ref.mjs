const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-MKNML552.mjs";import"../chunks/chunk-YZISHJCU.mjs";import"../chunks/chunk-GYGSD4ZT.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
//# sourceMappingURL=core-image-ref.mjs.map
