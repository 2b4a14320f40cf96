const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m18 as t}from"../kernel.js";var o=await t(),{splitLines:a}=o;export{a};
