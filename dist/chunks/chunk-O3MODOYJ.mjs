const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import e from"../kernel.js";var r=e.m25(),{compileTagFormat:s,coreOf:a,dockerSafeVersion:n,nextPrerelease:i,nextVersion:t,parseVersion:p,prereleaseForBranch:c,previewVersion:m,sanitizePrereleaseId:l,versionLikeTags:V}=r;export{s as a,n as b,p as c};
