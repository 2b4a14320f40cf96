const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),s=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=s.m23(),{compileTagFormat:n,coreOf:i,dockerSafeVersion:t,isLinePrerelease:c,nextPrerelease:p,nextVersion:m,parseVersion:l,prereleaseForBranch:V,previewVersion:f,sanitizePrereleaseId:x}=a;export{t as a,l as b};
//# sourceMappingURL=chunk-7BHK4QOD.mjs.map
