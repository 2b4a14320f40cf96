const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GYGSD4ZT.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),n=(0,e.createRequire)(import.meta.url)("../kernel.js"),t=n.m28(),{byVersionDescending:a}=t,s=t.default;export{a,s as b};
//# sourceMappingURL=chunk-BPD7GTQO.mjs.map
