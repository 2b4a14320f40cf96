const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GH5GKXME.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(o()),r=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=r.m16(),{isLoopbackHost:s,parseImageRef:m,tagOf:p}=a;export{m as a,p as b};
//# sourceMappingURL=chunk-SCYW3UMT.mjs.map
