#!/usr/bin/env node
const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m27 as o}from"./kernel.js";var s=await o(),{formatJsonOutputs:e,formatTextOutputs:r,helpText:m,main:t,parseArgs:p}=s;process.exitCode=await t(process.argv.slice(2));
