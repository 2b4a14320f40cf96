const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-V6ASQTCS.mjs";import{e as t}from"./chunk-UVSCDZT3.mjs";var e=t(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),m=a.m25(),{renderTemplate:p,templateNames:o}=m;export{p as a};
