import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m1 as o}from"../kernel.js";var a=await o(),{loadConfig:m}=a;export{m as a};
