const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-V6ASQTCS.mjs";import{e as t}from"./chunk-UVSCDZT3.mjs";var e=t(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),o=a.m7(),{readTextIfExists:s,writeFilesAtomically:i}=o;export{s as a,i as b};
