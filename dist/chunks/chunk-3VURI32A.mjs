const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),t=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=t.m23(),{DEFAULT_TAG_FORMAT:m,emptyConfig:n,normalizeChart:i,normalizeConfig:p,releaseTagFormat:s}=a;export{i as a,p as b,s as c};
//# sourceMappingURL=chunk-3VURI32A.mjs.map
