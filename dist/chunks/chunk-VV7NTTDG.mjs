const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(r()),m=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=m.m22(),{renderTemplate:o,templateNames:p}=a;export{o as a};
//# sourceMappingURL=chunk-VV7NTTDG.mjs.map
