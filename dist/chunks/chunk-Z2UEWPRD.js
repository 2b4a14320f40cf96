import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m25 as e}from"../kernel.js";var r=await e(),{compileTagFormat:a,coreOf:s,dockerSafeVersion:i,nextPrerelease:n,nextVersion:t,parseVersion:c,prereleaseForBranch:p,previewVersion:m,sanitizePrereleaseId:l,versionLikeTags:V}=r;export{a,i as b,c};
