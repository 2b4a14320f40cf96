const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as n}from"./chunk-V6ASQTCS.mjs";import{e as t}from"./chunk-UVSCDZT3.mjs";var e=t(n()),p=(0,e.createRequire)(import.meta.url)("../kernel.js"),r=p.m4(),{commonInputs:o,inputValue:a,numberInput:m,parseBoolean:u,planInput:s}=r;export{o as a,a as b,m as c,u as d,s as e};
