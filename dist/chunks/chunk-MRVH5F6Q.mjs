const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t,c as a}from"./chunk-Y26AOD52.mjs";var l=a(r=>{var o,n=()=>o??=t("node:os");for(let e of["arch","availableParallelism","cpus","endianness","freemem","getPriority","homedir","hostname","loadavg","networkInterfaces","platform","release","setPriority","tmpdir","totalmem","type","userInfo","uptime","version","machine","constants","EOL","devNull"])Object.defineProperty(r,e,{get:()=>n()[e],enumerable:!0})});export{l as a};
//# sourceMappingURL=chunk-MRVH5F6Q.mjs.map
