const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as o}from"./chunk-Y26AOD52.mjs";var e=o(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),t=a.m18(),{codeBlock:c,escapeMarkdown:m,markdownTable:n}=t;export{c as a,m as b,n as c};
//# sourceMappingURL=chunk-RKTLHLII.mjs.map
