const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-V6ASQTCS.mjs";import{e as n}from"./chunk-UVSCDZT3.mjs";var e=n(t()),p=(0,e.createRequire)(import.meta.url)("../kernel.js"),o=p.m4(),{commonInputs:r,inputValue:a,numberInput:m,oneOfInput:u,parseBoolean:s,planInput:c}=o;export{r as a,a as b,m as c,s as d,c as e};
