const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import o from"../kernel.js";var a=o.m12(),{DEFAULT_TAG_FORMAT:r,emptyConfig:m,normalizeChart:t,normalizeConfig:n,releaseTagFormat:i}=a;export{t as a,n as b,i as c};
