const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var n=e(t()),o=(0,n.createRequire)(import.meta.url)("../kernel.js"),p=o.m5(),{booleanInput:r,commonInputs:a,inputValue:u,numberInput:m,oneOfInput:s,parseBoolean:c,planInput:l}=p;export{r as a,a as b,u as c,m as d,s as e,c as f};
//# sourceMappingURL=chunk-FYVJH24T.mjs.map
