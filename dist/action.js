import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import"./chunks/chunk-QGFZFHH7.js";import{m26 as o}from"./kernel.js";var r=await o(),{formatOutputFile:a,readActionInputs:e,runAsAction:t}=r;process.exitCode=await t(process.argv[2]??"");
