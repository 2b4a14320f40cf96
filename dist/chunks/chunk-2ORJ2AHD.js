const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m1 as o}from"../kernel.js";var a=await o(),{loadConfig:m}=a;export{m as a};
