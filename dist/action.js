const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m26 as o}from"./kernel.js";var r=await o(),{formatOutputFile:a,readActionInputs:e,runAsAction:t}=r;process.exitCode=await t(process.argv[2]??"");
