const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var t=e(a()),o=(0,t.createRequire)(import.meta.url)("../parts/actions-helm-sync.js"),s=o.m30(),{isLoopbackHost:r,parseImageRef:c,tagOf:m}=s;export{c as a,m as b};
//# sourceMappingURL=chunk-BHWIGW55.mjs.map
