const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m25 as e}from"../kernel.js";var r=await e(),{compileTagFormat:a,coreOf:s,dockerSafeVersion:i,nextPrerelease:n,nextVersion:t,parseVersion:c,prereleaseForBranch:p,previewVersion:m,sanitizePrereleaseId:l,versionLikeTags:V}=r;export{a,i as b,c};
