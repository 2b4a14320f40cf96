const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-V6ASQTCS.mjs";import{e as t}from"./chunk-UVSCDZT3.mjs";var e=t(r()),o=(0,e.createRequire)(import.meta.url)("../kernel.js"),p=o.m18(),{splitLines:s}=p;export{s as a};
