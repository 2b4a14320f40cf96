import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m12 as a}from"../kernel.js";var o=await a(),{DEFAULT_TAG_FORMAT:m,emptyConfig:r,normalizeChart:t,normalizeConfig:n,releaseTagFormat:i}=o;export{t as a,n as b,i as c};
