const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m4 as n}from"../kernel.js";var o=await n(),{commonInputs:t,inputValue:a,numberInput:e,parseBoolean:m,planInput:u}=o;export{t as a,a as b,e as c,m as d,u as e};
