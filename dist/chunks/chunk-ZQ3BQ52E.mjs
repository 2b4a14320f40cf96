const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(r()),a=(0,e.createRequire)(import.meta.url)("../parts/adapters-registry-index.js"),s=a.m63(),{isLoopbackHost:o,parseImageRef:p,tagOf:m}=s;export{o as a,p as b,m as c};
//# sourceMappingURL=chunk-ZQ3BQ52E.mjs.map
