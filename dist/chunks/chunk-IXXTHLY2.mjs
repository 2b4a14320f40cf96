const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GYGSD4ZT.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),m=a.m27(),o=m.default;export{o as a};
//# sourceMappingURL=chunk-IXXTHLY2.mjs.map
