const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as s}from"./chunk-GYGSD4ZT.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(s()),o=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=o.m31(),{compileTagFormat:i,coreOf:n,dockerSafeVersion:t,isLinePrerelease:c,nextPrerelease:p,nextVersion:m,parseVersion:l,prereleaseForBranch:V,previewVersion:f,sanitizePrereleaseId:k,versionLikeTags:x}=a;export{i as a,t as b,l as c};
//# sourceMappingURL=chunk-CHS6424J.mjs.map
