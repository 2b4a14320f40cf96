const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GYGSD4ZT.mjs";import{e}from"./chunk-Y26AOD52.mjs";var t=e(r()),a=(0,t.createRequire)(import.meta.url)("../kernel.js"),n=a.m17(),{refBranch:c,refPullRequest:i,refTag:p,shortSha:l}=n;var o=e(r()),s=(0,o.createRequire)(import.meta.url)("../kernel.js"),m=s.m12(),{EVENT_NAMES:u,checkOverrides:R,isValidRef:h,normalizeRef:k,previewSha:q,resolveContext:v,runInstant:x,webUrlFromRemote:E}=m;export{p as a,l as b,v as c};
//# sourceMappingURL=chunk-DKJVJX3H.mjs.map
