const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-V6ASQTCS.mjs";import{e}from"./chunk-UVSCDZT3.mjs";var t=e(r()),a=(0,t.createRequire)(import.meta.url)("../kernel.js"),p=a.m8(),{Git:o,gitExec:s,parseLogOutput:m,parseNameStatus:c}=p;export{o as a};
