const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GYGSD4ZT.mjs";import{e as o}from"./chunk-Y26AOD52.mjs";var e=o(r()),t=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=t.m4(),{loadConfig:m}=a;export{m as a};
//# sourceMappingURL=chunk-PFDFSI3X.mjs.map
