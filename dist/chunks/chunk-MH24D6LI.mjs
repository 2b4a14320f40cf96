const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),n=(0,e.createRequire)(import.meta.url)("../kernel.js"),t=n.m20(),{byVersionDescending:a}=t,s=t.default;export{s as a};
//# sourceMappingURL=chunk-MH24D6LI.mjs.map
