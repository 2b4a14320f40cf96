const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GYGSD4ZT.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),s=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=s.m25(),{compileTagFormat:n,coreOf:i,dockerSafeVersion:t,nextPrerelease:c,nextVersion:p,parseVersion:m,prereleaseForBranch:l,previewVersion:V,sanitizePrereleaseId:f,versionLikeTags:k}=a;export{n as a,t as b,m as c};
//# sourceMappingURL=chunk-MHN5BQKT.mjs.map
