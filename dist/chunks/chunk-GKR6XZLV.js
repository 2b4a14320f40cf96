const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m12 as a}from"../kernel.js";var o=await a(),{DEFAULT_TAG_FORMAT:m,emptyConfig:r,normalizeChart:t,normalizeConfig:n,releaseTagFormat:i}=o;export{t as a,n as b,i as c};
