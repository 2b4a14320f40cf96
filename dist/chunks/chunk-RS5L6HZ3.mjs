const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(r()),i=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=i.m13(),{createFileWhole:o,parseTempName:s,pathExists:m,pathKind:p,readTextIfExists:l,resolveInside:c,tempPathFor:n,workingDirectoryOf:h,writeFilesAtomically:x,writeTempFile:F}=a;export{o as a,s as b,l as c,c as d,n as e,h as f,x as g};
//# sourceMappingURL=chunk-RS5L6HZ3.mjs.map
