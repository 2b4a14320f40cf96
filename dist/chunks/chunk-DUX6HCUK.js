const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m24 as e}from"../kernel.js";var t=await e(),{renderTemplate:m,templateNames:o}=t;export{m as a};
