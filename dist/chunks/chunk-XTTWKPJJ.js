const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m7 as t}from"../kernel.js";var e=await t(),{readTextIfExists:i,writeFilesAtomically:o}=e;export{i as a,o as b};
