const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-GYGSD4ZT.mjs";import{e as n}from"./chunk-Y26AOD52.mjs";var e=n(t()),o=(0,e.createRequire)(import.meta.url)("../kernel.js"),p=o.m4(),{commonInputs:r,inputValue:a,numberInput:m,parseBoolean:u,planInput:s}=p;export{r as a,a as b,m as c,u as d,s as e};
//# sourceMappingURL=chunk-SKO67VUK.mjs.map
