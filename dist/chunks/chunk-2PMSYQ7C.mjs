const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GYGSD4ZT.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),t=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=t.m16(),{DEFAULT_TAG_FORMAT:m,emptyConfig:n,normalizeChart:i,normalizeConfig:p,releaseTagFormat:s}=a;export{i as a,p as b,s as c};
//# sourceMappingURL=chunk-2PMSYQ7C.mjs.map
