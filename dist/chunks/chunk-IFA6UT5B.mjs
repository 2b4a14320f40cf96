const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(t()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),o=a.m13(),{refBranch:s,refPullRequest:c,refTag:m,shortSha:n}=o;export{m as a,n as b};
//# sourceMappingURL=chunk-IFA6UT5B.mjs.map
