#!/usr/bin/env node
import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import"./chunks/chunk-QGFZFHH7.js";import{m27 as o}from"./kernel.js";var s=await o(),{formatJsonOutputs:e,formatTextOutputs:r,helpText:m,main:t,parseArgs:p}=s;process.exitCode=await t(process.argv.slice(2));
