const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as s}from"./chunk-Y26AOD52.mjs";var e=s(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),i=a.m24(),{compileTagFormat:o,isReleaseTag:t,isVersionLike:n,isVersionTag:m,previousImageTag:g,previousRelease:p,registryReleaseVersions:l,releaseVersionOf:c,releaseVersions:V,stripLeadingV:T,tagsOfFormat:u,versionLikeTags:R}=i;export{t as a,n as b,m as c,g as d,p as e,V as f,T as g};
//# sourceMappingURL=chunk-VCXFOMZX.mjs.map
