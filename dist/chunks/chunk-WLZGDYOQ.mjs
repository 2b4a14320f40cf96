const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(r()),o=(0,e.createRequire)(import.meta.url)("../kernel.js"),s=o.m17(),{splitLines:m}=s;export{m as a};
//# sourceMappingURL=chunk-WLZGDYOQ.mjs.map
