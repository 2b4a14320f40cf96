const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-V6ASQTCS.mjs";import{e as r}from"./chunk-UVSCDZT3.mjs";var e=r(t()),o=(0,e.createRequire)(import.meta.url)("../kernel.js"),a=o.m1(),{loadConfig:m}=a;export{m as a};
