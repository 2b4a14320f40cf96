const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m22 as a}from"../kernel.js";var t=await a(),m=t.default;export{m as a};
