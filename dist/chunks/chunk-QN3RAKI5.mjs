const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(t()),a=(0,e.createRequire)(import.meta.url)("../parts/adapters-registry-index.js"),s=a.m39(),{DEFAULT_RETRY:i,OciRegistry:n,nextLink:p,parseChallenge:o}=s;export{i as a,n as b,p as c,o as d};
//# sourceMappingURL=chunk-QN3RAKI5.mjs.map
