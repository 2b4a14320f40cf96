const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as s}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(s()),n=(0,e.createRequire)(import.meta.url)("../kernel.js"),o=n.m25(),{coreOf:a,dockerSafeVersion:i,isLinePrerelease:t,nextPrerelease:c,nextVersion:p,parseVersion:l,prereleaseForBranch:m,previewVersion:V,sanitizePrereleaseId:f}=o;export{i as a,l as b};
//# sourceMappingURL=chunk-46EWEOBK.mjs.map
