const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import n from"../kernel.js";var p=n.m4(),{commonInputs:t,inputValue:a,numberInput:e,parseBoolean:m,planInput:r}=p;export{t as a,a as b,e as c,m as d,r as e};
